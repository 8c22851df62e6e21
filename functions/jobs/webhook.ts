// Delivers one webhook: signed, logged per attempt, retried with exponential backoff and
// jitter for up to 24 hours, after which the delivery fails and its endpoint is marked
// failing. The URL is checked again before each attempt (DNS can change under it).
import { and, eq, sql } from 'drizzle-orm';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from '../../schemas/db/schema.ts';
import { secretsFor, signedHeaders } from '../domain/webhooks/secrets.ts';
import { limits } from '../infra/config.ts';
import { dbOf } from '../infra/db.ts';
import { webhookUrlProblem } from '../infra/webhook-url.ts';

const GIVE_UP_MS = 24 * 3600_000;

/** Seconds until the next attempt, or undefined when the delivery is settled. */
export async function deliverWebhook(env: Env, id: string): Promise<number | undefined> {
  const db = dbOf(env.DB);
  const [d] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  if (d?.status !== 'pending') return undefined;
  const started = performance.now();
  let statusCode: number | null = null,
    error: string | null = null;
  const problem = await webhookUrlProblem(d.url, { allowPrivate: limits(env).webhooksAllowPrivate });
  if (problem) {
    error = `refused: ${problem}`;
  } else {
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        body: d.payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
        headers: signedHeaders(await secretsFor(db, d.tenantId), d.id, d.payload),
      });
      statusCode = res.status;
      await res.body?.cancel();
    } catch (e) {
      error = (e as Error).message;
    }
  }
  const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
  const expired = !ok && Date.now() - d.createdAt >= GIVE_UP_MS;
  await db.batch([
    db.insert(webhookAttempts).values({ deliveryId: id, statusCode, error, durationMs: performance.now() - started }),
    db
      .update(webhookDeliveries)
      .set({
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        ...(ok ? { status: 'delivered', deliveredAt: Date.now() } : expired ? { status: 'failed' } : {}),
      })
      .where(eq(webhookDeliveries.id, id)),
    ...(expired
      ? [
          db
            .insert(webhookEndpoints)
            .values({ tenantId: d.tenantId, url: d.url, failingSince: Date.now() })
            .onConflictDoUpdate({ target: [webhookEndpoints.tenantId, webhookEndpoints.url], set: { failingSince: Date.now() } }),
        ]
      : []),
    ...(ok
      ? [
          db
            .update(webhookEndpoints)
            .set({ failingSince: null })
            .where(and(eq(webhookEndpoints.tenantId, d.tenantId), eq(webhookEndpoints.url, d.url))),
        ]
      : []),
  ]);
  if (ok || expired) return undefined;
  return Math.min(4 * 3600, limits(env).webhookRetryBaseS * 2 ** d.attempts) * (0.5 + Math.random()); // backoff with jitter
}

// Delivers one webhook: signed, logged per attempt, retried with exponential backoff and
// jitter for up to 24 hours, after which the delivery fails and its endpoint is marked
// failing. The URL is checked again before each attempt (DNS can change under it).
// Each attempt is claimed first by a conditional update on the attempt count: of two
// messages for the same attempt (a redelivery, a redeliver call, the outbox sweep) one
// claims it and the other finds it gone, so a delivery has one retry chain at a time.
import { and, eq } from 'drizzle-orm';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from '../../schemas/db/schema.ts';
import { secretsFor, signedHeaders } from '../domain/webhooks/secrets.ts';
import { limits } from '../infra/config.ts';
import { dbOf } from '../infra/db.ts';
import { webhookUrlProblem } from '../infra/webhook-url.ts';

const GIVE_UP_MS = 24 * 3600_000;
/** how long a claimed attempt may take before the outbox sweep counts it lost */
const ATTEMPT_LEASE_MS = 60_000;

/** Seconds until the next attempt, or undefined when the delivery is settled or this
 * message's `attempt` was taken by another (omitted: whatever attempt is next). */
export async function deliverWebhook(env: Env, id: string, attempt?: number): Promise<number | undefined> {
  const db = dbOf(env.DB);
  const [seen] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  if (seen?.status !== 'pending' || (attempt !== undefined && attempt !== seen.attempts)) return undefined;
  const [d] = await db
    .update(webhookDeliveries)
    .set({ attempts: seen.attempts + 1, nextAttemptAt: Date.now() + ATTEMPT_LEASE_MS })
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.status, 'pending'), eq(webhookDeliveries.attempts, seen.attempts)))
    .returning();
  if (!d) return undefined; // another message claimed this attempt
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
        headers: signedHeaders(await secretsFor(env, db, d.tenantId), d.id, d.payload),
      });
      statusCode = res.status;
      await res.body?.cancel();
    } catch (e) {
      error = (e as Error).message;
    }
  }
  const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
  const expired = !ok && Date.now() - d.createdAt >= GIVE_UP_MS;
  // seen.attempts: the attempts before this one, so the first retry waits one base
  const retryIn = Math.min(4 * 3600, limits(env).webhookRetryBaseS * 2 ** seen.attempts) * (0.5 + Math.random()); // backoff with jitter
  await db.batch([
    db.insert(webhookAttempts).values({ deliveryId: id, statusCode, error, durationMs: performance.now() - started }),
    db
      .update(webhookDeliveries)
      .set(
        ok
          ? { status: 'delivered', deliveredAt: Date.now(), nextAttemptAt: null }
          : expired
            ? { status: 'failed', nextAttemptAt: null }
            : { nextAttemptAt: Date.now() + retryIn * 1000 },
      )
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
  return ok || expired ? undefined : retryIn;
}

// Outbound webhooks, signed per Standard Webhooks (the `standardwebhooks` library):
// webhook-id, webhook-timestamp, webhook-signature; after a rotation both the new and
// the previous secret sign, so receivers can switch over without dropping deliveries.
import { eq } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { Webhook } from 'standardwebhooks';
import { webhookDeliveries, webhookSecrets } from '../schemas/db/schema.ts';
import { limits } from './config.ts';
import type { JobMessage } from './jobs/messages.ts';
import { ApiError } from './problem.ts';
import { webhookUrlProblem } from './webhook-url.ts';

export const EVENTS = ['batch.completed', 'batch.failed', 'batch.cancelled', 'batch.expired', 'merge.completed', 'merge.failed'] as const;
export type WebhookEvent = (typeof EVENTS)[number];
export interface WebhookTarget {
  url: string;
  events?: string[];
}

/** A new Standard Webhooks secret (outbound signing, inbound triggers). */
export const newSecret = () => `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24))))}`;

export async function secretsFor(db: DrizzleD1Database, tenantId: string): Promise<{ secret: string; previous: string | null }> {
  await db.insert(webhookSecrets).values({ tenantId, secret: newSecret() }).onConflictDoNothing();
  const [row] = await db.select().from(webhookSecrets).where(eq(webhookSecrets.tenantId, tenantId));
  return { secret: row!.secret, previous: row!.previous };
}

export async function rotateSecret(db: DrizzleD1Database, tenantId: string) {
  const current = await secretsFor(db, tenantId);
  const secret = newSecret();
  await db
    .update(webhookSecrets)
    .set({ secret, previous: current.secret, rotatedAt: Date.now() })
    .where(eq(webhookSecrets.tenantId, tenantId));
  return { secret, previous: current.secret };
}

export function signedHeaders(
  secrets: { secret: string; previous: string | null },
  id: string,
  payload: string,
  at = new Date(),
): Record<string, string> {
  const signatures = [secrets.secret, ...(secrets.previous ? [secrets.previous] : [])].map((s) => new Webhook(s).sign(id, at, payload));
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
    'content-type': 'application/json',
  };
}

/** 422 for a URL that may not receive webhooks (checked when a job is created). */
export async function checkWebhook(env: Env, target: WebhookTarget | undefined): Promise<void> {
  if (!target) return;
  const problem = await webhookUrlProblem(target.url, { allowPrivate: limits(env).webhooksAllowPrivate });
  if (problem)
    throw new ApiError(422, 'webhook-url', `webhook.url ${target.url}: ${problem}`, {
      errors: [{ path: 'webhook.url', message: problem }],
    });
  const unknown = (target.events ?? []).filter((e) => !(EVENTS as readonly string[]).includes(e));
  if (unknown.length)
    throw new ApiError(422, 'webhook-events', `unknown webhook event(s) ${unknown.join(', ')}; events are ${EVENTS.join(', ')}`);
}

/** Records the event and queues its delivery (when the target wants it). */
export async function emitEvent(
  env: Env,
  db: DrizzleD1Database,
  tenantId: string,
  target: WebhookTarget | null | undefined,
  event: WebhookEvent,
  data: Record<string, unknown>,
): Promise<void> {
  if (!target || (target.events && !target.events.includes(event))) return;
  const id = `msg_${crypto.randomUUID().replaceAll('-', '')}`;
  const payload = JSON.stringify({ type: event, timestamp: new Date().toISOString(), data });
  await db.insert(webhookDeliveries).values({ id, tenantId, event, url: target.url, payload, status: 'pending' });
  await env.JOBS.send({ kind: 'webhook', id } satisfies JobMessage);
}

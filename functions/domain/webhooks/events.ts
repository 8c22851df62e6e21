// Outbound events: a job that ends records one delivery per event its target wants and
// queues it; functions/jobs/webhook.ts sends it, signed, with retries. The delivery row
// is the outbox: if the queue message cannot be sent, the row stays pending and due,
// and the cron sweep (functions/jobs/outbox.ts) sends it.
import { ApiError } from '../../../schemas/api/problems.ts';
import { webhookDeliveries } from '../../../schemas/db/schema.ts';
import { WEBHOOK_EVENTS, type WebhookEvent, type WebhookTarget } from '../../../schemas/vocabulary.ts';
import { limits } from '../../infra/config.ts';
import type { Db } from '../../infra/db.ts';
import { webhookUrlProblem } from '../../infra/webhook-url.ts';
import { enqueue } from '../queue.ts';

/** 422 for a target that may not receive webhooks (checked when a job is created). */
export async function checkWebhook(env: Env, target: WebhookTarget | undefined): Promise<void> {
  if (!target) return;
  const problem = await webhookUrlProblem(target.url, { allowPrivate: limits(env).webhooksAllowPrivate });
  if (problem) {
    throw new ApiError('webhook-url', `webhook.url ${target.url}: ${problem}`, { errors: [{ path: 'webhook.url', message: problem }] });
  }
  const unknown = (target.events ?? []).filter((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e));
  if (unknown.length) {
    throw new ApiError('webhook-events', `unknown webhook event(s) ${unknown.join(', ')}; events are ${WEBHOOK_EVENTS.join(', ')}`);
  }
}

/** Records the event and queues its delivery (when the target wants it). */
export async function emitEvent(
  env: Env,
  db: Db,
  tenantId: string,
  target: WebhookTarget | null | undefined,
  event: WebhookEvent,
  data: Record<string, unknown>,
): Promise<void> {
  if (!target || (target.events && !target.events.includes(event))) return;
  const id = `msg_${crypto.randomUUID().replaceAll('-', '')}`;
  const payload = JSON.stringify({ type: event, timestamp: new Date().toISOString(), data });
  await db
    .insert(webhookDeliveries)
    .values({ id, tenantId, event, url: target.url, payload, status: 'pending', nextAttemptAt: Date.now() });
  await enqueue(env, { kind: 'webhook', id, attempt: 0 }).catch((e) =>
    console.error(`webhook ${id}: not queued (the outbox will send it):`, e),
  );
}

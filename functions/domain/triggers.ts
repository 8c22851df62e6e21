// Inbound hooks: a trigger holds a batch template and a secret (stored sealed); another
// system POSTs a Standard Webhooks-signed event to its URL and the batch starts with the
// inputs it carries. Each webhook-id is accepted once. Hooks are rate limited per
// trigger before anything else is done with them (HOOK_LIMITER).
import { and, eq } from 'drizzle-orm';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { CreateBatch } from '../../schemas/api/batches.ts';
import { ApiError } from '../../schemas/api/problems.ts';
import { type CreateTrigger, HookBody } from '../../schemas/api/triggers.ts';
import { triggerReceipts, triggers } from '../../schemas/db/schema.ts';
import { limits } from '../infra/config.ts';
import type { Db } from '../infra/db.ts';
import { seal, unseal } from '../infra/sealed.ts';
import type { BatchRow } from './batches/find.ts';
import { startBatch } from './batches/start.ts';
import { findModel } from './registry.ts';
import { checkWebhook } from './webhooks/events.ts';
import { newSecret } from './webhooks/secrets.ts';

export type TriggerRow = typeof triggers.$inferSelect;

export async function createTrigger(env: Env, db: Db, tenantId: string, body: CreateTrigger): Promise<TriggerRow> {
  await findModel(db, tenantId, body.batch.model);
  await checkWebhook(env, body.batch.webhook);
  const id = `trg_${crypto.randomUUID().replaceAll('-', '')}`;
  const secret = newSecret();
  const [row] = await db
    .insert(triggers)
    .values({ id, tenantId, name: body.name, secret: await seal(env, secret, triggerContext(id)), batch: body.batch })
    .returning();
  return { ...row!, secret }; // shown to the caller this once, in the clear
}

/** What a trigger's sealed secret is bound to (AES-GCM additional data). */
export const triggerContext = (id: string) => `trigger:${id}`;

async function limitHooks(env: Env, triggerId: string): Promise<void> {
  if (!limits(env).rateLimits || !env.HOOK_LIMITER) return;
  const { success } = await env.HOOK_LIMITER.limit({ key: `hook:${triggerId}` });
  if (!success) {
    throw new ApiError('rate-limited', 'too many hooks for this trigger; try again in 60 s', { headers: { 'retry-after': '60' } });
  }
}

const issues = (e: { issues: { path: PropertyKey[]; message: string }[] }) =>
  e.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');

/** Verifies a hook and starts its batch. `headers` holds the three webhook-* headers. */
export async function receiveHook(env: Env, db: Db, triggerId: string, raw: string, headers: Record<string, string>): Promise<BatchRow> {
  await limitHooks(env, triggerId);
  const [trigger] = await db.select().from(triggers).where(eq(triggers.id, triggerId));
  if (!trigger) throw new ApiError('trigger-not-found', 'no such trigger');
  const secret = await unseal(env, trigger.secret, triggerContext(trigger.id));
  let payload: unknown;
  try {
    payload = new Webhook(secret).verify(raw, headers); // checks the signature and a 5-minute timestamp window
  } catch (e) {
    const why = e instanceof WebhookVerificationError ? e.message : 'the body is not JSON';
    throw new ApiError('bad-signature', `the hook was refused: ${why}`);
  }
  const parsed = HookBody.safeParse(payload);
  if (!parsed.success) throw new ApiError('validation', `the hook body is invalid: ${issues(parsed.error)}`);
  const webhookId = headers['webhook-id']!;
  const [seen] = await db
    .select()
    .from(triggerReceipts)
    .where(and(eq(triggerReceipts.triggerId, trigger.id), eq(triggerReceipts.webhookId, webhookId)));
  if (seen) throw new ApiError('replay', `webhook-id ${webhookId} was accepted already`);
  const request = CreateBatch.safeParse({ ...trigger.batch, ...parsed.data, metadata: { ...parsed.data.metadata, trigger: trigger.id } });
  if (!request.success) throw new ApiError('validation', `the hook body is invalid: ${issues(request.error)}`);
  // the batch is keyed by the webhook-id, so even two copies racing here start one batch;
  // the receipt is written after, so a hook whose batch failed to start may be sent again
  const batch = await startBatch(env, db, trigger.tenantId, request.data, `${trigger.id}:${webhookId}`);
  await db.insert(triggerReceipts).values({ triggerId: trigger.id, webhookId, batchId: batch.id }).onConflictDoNothing();
  return batch;
}

import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { Batch, CreateBatch } from '../../../schemas/api/batches.ts';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { HookBody, TriggerParams } from '../../../schemas/api/triggers.ts';
import { triggerReceipts, triggers } from '../../../schemas/db/schema.ts';
import { startBatch } from '../../batch-start.ts';
import { batchView } from '../../batches.ts';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../problem.ts';

export const hookRoute = createRoute({
  method: 'post',
  path: '/v1/hooks/{trigger}',
  summary: "An inbound hook, signed per Standard Webhooks with the trigger's secret; starts its batch",
  tags: ['webhooks'],
  request: { params: TriggerParams },
  responses: {
    202: { description: 'the batch it started', content: { 'application/json': { schema: Batch } } },
    401: problemResponse('a missing, wrong or stale signature'),
    404: problemResponse('no such trigger'),
    409: problemResponse('this webhook-id was accepted already (a replay)'),
    422: problemResponse('a body that is not inputs'),
  },
});

export const registerHook = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(hookRoute, async (c) => {
    const db = drizzle(c.env.DB);
    const [trigger] = await db
      .select()
      .from(triggers)
      .where(eq(triggers.id, c.req.valid('param').trigger));
    if (!trigger) throw new ApiError(404, 'trigger-not-found', 'no such trigger');
    const raw = await c.req.text();
    const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, c.req.header(h) ?? '']));
    let payload: unknown;
    try {
      payload = new Webhook(trigger.secret).verify(raw, headers); // checks the signature and a 5-minute timestamp window
    } catch (e) {
      const why = e instanceof WebhookVerificationError ? e.message : 'the body is not JSON';
      throw new ApiError(401, 'bad-signature', `the hook was refused: ${why}`);
    }
    const parsed = HookBody.safeParse(payload);
    if (!parsed.success)
      throw new ApiError(
        422,
        'validation',
        `the hook body is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`,
      );
    const webhookId = headers['webhook-id']!;
    const [seen] = await db
      .select()
      .from(triggerReceipts)
      .where(and(eq(triggerReceipts.triggerId, trigger.id), eq(triggerReceipts.webhookId, webhookId)));
    if (seen) throw new ApiError(409, 'replay', `webhook-id ${webhookId} was accepted already`);
    // the batch is keyed by the webhook-id, so even two copies racing here start one batch;
    // the receipt is written after, so a hook whose batch failed to start may be sent again
    const request = CreateBatch.parse({ ...trigger.batch, ...parsed.data, metadata: { ...parsed.data.metadata, trigger: trigger.id } });
    const batch = await startBatch(c.env, db, trigger.tenantId, request, `${trigger.id}:${webhookId}`);
    await db.insert(triggerReceipts).values({ triggerId: trigger.id, webhookId, batchId: batch.id }).onConflictDoNothing();
    return c.json(await batchView(db, batch), 202);
  });

import type { OpenAPIHono } from '@hono/zod-openapi';
import { Batch } from '../../../../schemas/api/batches.ts';
import { TriggerParams } from '../../../../schemas/api/triggers.ts';
import { batchView } from '../../../domain/batches/find.ts';
import { START_BATCH_PROBLEMS } from '../../../domain/batches/start.ts';
import { receiveHook } from '../../../domain/triggers.ts';
import type { AppEnv } from '../../context.ts';
import { publicRoute } from '../../openapi.ts';

export const hookRoute = publicRoute({
  method: 'post',
  path: '/v1/hooks/{trigger}',
  operationId: 'receiveHook',
  summary: "An inbound hook, signed per Standard Webhooks with the trigger's secret; starts its batch",
  tags: ['webhooks'],
  request: { params: TriggerParams },
  errors: ['bad-signature', 'trigger-not-found', 'replay', 'validation', 'body-too-large', ...START_BATCH_PROBLEMS],
  responses: { 202: { description: 'the batch it started', content: { 'application/json': { schema: Batch } } } },
});

const SIGNATURE_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'];

export const registerHook = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(hookRoute, async (c) => {
    const headers = Object.fromEntries(SIGNATURE_HEADERS.map((h) => [h, c.req.header(h) ?? '']));
    const batch = await receiveHook(c.env, c.var.db, c.req.valid('param').trigger, await c.req.text(), headers);
    return c.json(await batchView(c.var.db, batch), 202);
  });

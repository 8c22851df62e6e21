import type { OpenAPIHono } from '@hono/zod-openapi';
import { Batch } from '../../../../schemas/api/batches.ts';
import { TriggerParams } from '../../../../schemas/api/triggers.ts';
import { batchView } from '../../../domain/batches/find.ts';
import { START_BATCH_PROBLEMS } from '../../../domain/batches/start.ts';
import { receiveHook } from '../../../domain/triggers.ts';
import type { AppEnv } from '../../context.ts';
import { publicRoute } from '../../openapi.ts';

const SIGNATURE_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;
const SIGNATURE_DESCRIPTIONS = {
  'webhook-id': 'unique per event: each is accepted once (a replay is a 409)',
  'webhook-timestamp': 'Unix seconds; within 5 minutes of now',
  'webhook-signature': "v1,<base64 HMAC-SHA256 of `id.timestamp.body`> with the trigger's secret (space-separated when several)",
};

export const hookRoute = publicRoute({
  method: 'post',
  path: '/v1/hooks/{trigger}',
  operationId: 'receiveHook',
  summary: "An inbound hook, signed per Standard Webhooks with the trigger's secret; starts its batch",
  tags: ['webhooks'],
  // the signature is checked over the raw body before anything reads it, so neither the
  // headers nor the body are zod-validated here: both are documented, and checked in order
  parameters: SIGNATURE_HEADERS.map((name) => ({
    name,
    in: 'header' as const,
    required: true,
    description: SIGNATURE_DESCRIPTIONS[name],
    schema: { type: 'string' as const },
  })),
  request: {
    params: TriggerParams,
    body: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/HookBody' } } } },
  },
  errors: ['bad-signature', 'trigger-not-found', 'replay', 'validation', ...START_BATCH_PROBLEMS],
  responses: { 202: { description: 'the batch it started', content: { 'application/json': { schema: Batch } } } },
});

export const registerHook = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(hookRoute, async (c) => {
    const headers = Object.fromEntries(SIGNATURE_HEADERS.map((h) => [h, c.req.header(h) ?? '']));
    const batch = await receiveHook(c.env, c.var.db, c.req.valid('param').trigger, await c.req.text(), headers);
    return c.json(await batchView(c.var.db, batch), 202);
  });

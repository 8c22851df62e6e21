import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { Batch, CreateBatch } from '../../../../schemas/api/batches.ts';
import { batchView } from '../../../domain/batches/find.ts';
import { START_BATCH_PROBLEMS, startBatch } from '../../../domain/batches/start.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';

export const createBatchRoute = authedRoute('batches', {
  method: 'post',
  path: '/v1/batches',
  operationId: 'createBatch',
  summary: 'Run a model over many inputs in the background',
  tags: ['batches'],
  request: {
    headers: z.object({
      'idempotency-key': z
        .string()
        .max(200)
        .optional()
        .openapi({ description: 'a retried create with the same key returns the same batch' }),
    }),
    body: { required: true, content: { 'application/json': { schema: CreateBatch } } },
  },
  errors: START_BATCH_PROBLEMS,
  responses: { 202: { description: 'accepted', content: { 'application/json': { schema: Batch } } } },
});

export const registerCreateBatch = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(createBatchRoute, async (c) => {
    const body = c.req.valid('json');
    const idempotencyKey = c.req.valid('header')['idempotency-key'];
    c.set('usage', { operation: 'batch.create', model: body.model });
    const batch = await startBatch(c.env, c.var.db, c.var.caller.tenantId, body, idempotencyKey);
    return c.json(await batchView(c.var.db, batch), 202);
  });

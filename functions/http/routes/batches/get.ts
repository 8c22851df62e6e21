import type { OpenAPIHono } from '@hono/zod-openapi';
import { Batch, BatchParams } from '../../../../schemas/api/batches.ts';
import { batchView, findBatch } from '../../../domain/batches/find.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';

export const getBatchRoute = authedRoute('batches', {
  method: 'get',
  path: '/v1/batches/{id}',
  operationId: 'getBatch',
  summary: 'A batch: status and counts',
  tags: ['batches'],
  request: { params: BatchParams },
  errors: ['batch-not-found'],
  responses: { 200: { description: 'the batch', content: { 'application/json': { schema: Batch } } } },
});

export const registerGetBatch = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(getBatchRoute, async (c) => {
    const batch = await findBatch(c.var.db, c.var.caller.tenantId, c.req.valid('param').id);
    return c.json(await batchView(c.var.db, batch), 200);
  });

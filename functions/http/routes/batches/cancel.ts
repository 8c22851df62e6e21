import type { OpenAPIHono } from '@hono/zod-openapi';
import { Batch, BatchParams } from '../../../../schemas/api/batches.ts';
import { cancelBatch } from '../../../domain/batches/end.ts';
import { batchView, findBatch } from '../../../domain/batches/find.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';

export const cancelBatchRoute = authedRoute('batches', {
  method: 'post',
  path: '/v1/batches/{id}/cancel',
  operationId: 'cancelBatch',
  summary: 'Stop a batch: chunks not yet run are skipped; results so far stay readable',
  tags: ['batches'],
  request: { params: BatchParams },
  errors: ['batch-not-found', 'batch-ended'],
  responses: { 200: { description: 'the batch', content: { 'application/json': { schema: Batch } } } },
});

export const registerCancelBatch = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(cancelBatchRoute, async (c) => {
    const { db, caller } = c.var;
    const batch = await findBatch(db, caller.tenantId, c.req.valid('param').id);
    return c.json(await batchView(db, await cancelBatch(c.env, db, batch)), 200);
  });

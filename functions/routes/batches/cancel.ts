import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { Batch, BatchParams } from '../../../schemas/api/batches.ts';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { requireKey } from '../../auth.ts';
import { batchView, findBatch } from '../../batches.ts';
import type { AppEnv } from '../../context.ts';
import { endBatch } from '../../jobs/batch-events.ts';
import { ApiError } from '../../problem.ts';

export const cancelBatchRoute = createRoute({
  method: 'post',
  path: '/v1/batches/{id}/cancel',
  summary: 'Stop a batch: chunks not yet run are skipped; results so far stay readable',
  tags: ['batches'],
  security: [{ bearer: [] }],
  middleware: [requireKey('batches')] as const,
  request: { params: BatchParams },
  responses: {
    200: { description: 'the batch', content: { 'application/json': { schema: Batch } } },
    401: problemResponse('missing or unknown API key'),
    404: problemResponse('no such batch'),
    409: problemResponse('the batch has ended'),
  },
});

export const registerCancelBatch = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(cancelBatchRoute, async (c) => {
    const db = drizzle(c.env.DB);
    const batch = await findBatch(db, c.get('caller')!.tenantId, c.req.valid('param').id);
    const row = await endBatch(c.env, batch.id, 'cancelled');
    if (!row) throw new ApiError(409, 'batch-ended', `batch "${batch.id}" is ${batch.status}`);
    return c.json(await batchView(db, row), 200);
  });

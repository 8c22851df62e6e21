import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { Batch, BatchParams } from '../../../schemas/api/batches.ts';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { requireKey } from '../../auth.ts';
import { batchView, findBatch } from '../../batches.ts';
import type { AppEnv } from '../../context.ts';

export const getBatchRoute = createRoute({
  method: 'get',
  path: '/v1/batches/{id}',
  summary: 'A batch: status and counts',
  tags: ['batches'],
  security: [{ bearer: [] }],
  middleware: [requireKey('batches')] as const,
  request: { params: BatchParams },
  responses: {
    200: { description: 'the batch', content: { 'application/json': { schema: Batch } } },
    401: problemResponse('missing or unknown API key'),
    404: problemResponse('no such batch'),
  },
});

export const registerGetBatch = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(getBatchRoute, async (c) => {
    const db = drizzle(c.env.DB);
    return c.json(await batchView(db, await findBatch(db, c.get('caller')!.tenantId, c.req.valid('param').id)), 200);
  });

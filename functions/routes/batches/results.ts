import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { BatchParams } from '../../../schemas/api/batches.ts';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { requireKey } from '../../auth.ts';
import { batchKeys, concatObjects, findBatch } from '../../batches.ts';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../problem.ts';

export const batchResultsRoute = createRoute({
  method: 'get',
  path: '/v1/batches/{id}/results',
  summary: 'Result lines (JSONL, one per input in input order, with custom_id)',
  tags: ['batches'],
  security: [{ bearer: [] }],
  middleware: [requireKey('batches')] as const,
  request: { params: BatchParams },
  responses: {
    200: { description: 'JSONL', content: { 'application/x-ndjson': { schema: z.string() } } },
    401: problemResponse('missing or unknown API key'),
    404: problemResponse('no such batch'),
    409: problemResponse('the batch is still running'),
  },
});

export const registerBatchResults = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(batchResultsRoute, async (c) => {
    const batch = await findBatch(drizzle(c.env.DB), c.get('caller')!.tenantId, c.req.valid('param').id);
    if (batch.status === 'queued' || batch.status === 'running')
      throw new ApiError(409, 'batch-running', `batch "${batch.id}" is ${batch.status}; results come when it ends`);
    const keys = Array.from({ length: batch.chunks }, (_, n) => batchKeys.output(batch.id, n));
    return new Response(concatObjects(c.env.MODELS, keys), { headers: { 'content-type': 'application/x-ndjson' } }) as never;
  });

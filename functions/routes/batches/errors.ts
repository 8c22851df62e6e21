import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { BatchParams } from '../../../schemas/api/batches.ts';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { requireKey } from '../../auth.ts';
import { batchKeys, concatObjects, findBatch } from '../../batches.ts';
import type { AppEnv } from '../../context.ts';

export const batchErrorsRoute = createRoute({
  method: 'get',
  path: '/v1/batches/{id}/errors',
  summary: 'Error lines (JSONL): malformed input lines, then inputs that failed',
  tags: ['batches'],
  security: [{ bearer: [] }],
  middleware: [requireKey('batches')] as const,
  request: { params: BatchParams },
  responses: {
    200: { description: 'JSONL', content: { 'application/x-ndjson': { schema: z.string() } } },
    401: problemResponse('missing or unknown API key'),
    404: problemResponse('no such batch'),
  },
});

export const registerBatchErrors = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(batchErrorsRoute, async (c) => {
    const batch = await findBatch(drizzle(c.env.DB), c.get('caller')!.tenantId, c.req.valid('param').id);
    const keys = [batchKeys.parseErrors(batch.id), ...Array.from({ length: batch.chunks }, (_, n) => batchKeys.errors(batch.id, n))];
    return new Response(concatObjects(c.env.MODELS, keys), { headers: { 'content-type': 'application/x-ndjson' } }) as never;
  });

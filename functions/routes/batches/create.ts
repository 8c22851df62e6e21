import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { Batch, CreateBatch } from '../../../schemas/api/batches.ts';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { requireKey } from '../../auth.ts';
import { startBatch } from '../../batch-start.ts';
import { batchView } from '../../batches.ts';
import type { AppEnv } from '../../context.ts';

export const createBatchRoute = createRoute({
  method: 'post',
  path: '/v1/batches',
  summary: 'Run a model over many inputs in the background',
  tags: ['batches'],
  security: [{ bearer: [] }],
  middleware: [requireKey('batches')] as const,
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
  responses: {
    202: { description: 'accepted', content: { 'application/json': { schema: Batch } } },
    401: problemResponse('missing or unknown API key'),
    404: problemResponse('unknown model, version, alias, task or file'),
    413: problemResponse('too many inline inputs'),
    422: problemResponse('an invalid request'),
  },
});

export const registerCreateBatch = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(createBatchRoute, async (c) => {
    const body = c.req.valid('json');
    const idempotencyKey = c.req.valid('header')['idempotency-key'];
    const db = drizzle(c.env.DB);
    const tenantId = c.get('caller')!.tenantId;
    c.set('usage', { operation: 'batch.create', model: body.model });
    return c.json(await batchView(db, await startBatch(c.env, db, tenantId, body, idempotencyKey)), 202);
  });

import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { desc, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { BatchList } from '../../../schemas/api/batches.ts';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { batches } from '../../../schemas/db/schema.ts';
import { requireKey } from '../../auth.ts';
import { batchViews } from '../../batches.ts';
import type { AppEnv } from '../../context.ts';

export const listBatchesRoute = createRoute({
  method: 'get',
  path: '/v1/batches',
  summary: 'Your batches, newest first (the last 100)',
  tags: ['batches'],
  security: [{ bearer: [] }],
  middleware: [requireKey('batches')] as const,
  responses: {
    200: { description: 'batches', content: { 'application/json': { schema: BatchList } } },
    401: problemResponse('missing or unknown API key'),
  },
});

export const registerListBatches = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(listBatchesRoute, async (c) => {
    const db = drizzle(c.env.DB);
    const rows = await db
      .select()
      .from(batches)
      .where(eq(batches.tenantId, c.get('caller')!.tenantId))
      .orderBy(desc(batches.createdAt))
      .limit(100);
    return c.json({ batches: await batchViews(db, rows) }, 200);
  });

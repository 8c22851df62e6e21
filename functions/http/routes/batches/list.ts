import type { OpenAPIHono } from '@hono/zod-openapi';
import { BatchList } from '../../../../schemas/api/batches.ts';
import { batchViews, listBatches } from '../../../domain/batches/find.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';

export const listBatchesRoute = authedRoute('batches', {
  method: 'get',
  path: '/v1/batches',
  operationId: 'listBatches',
  summary: 'Your batches, newest first (the last 100)',
  tags: ['batches'],
  responses: { 200: { description: 'batches', content: { 'application/json': { schema: BatchList } } } },
});

export const registerListBatches = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(listBatchesRoute, async (c) => {
    const rows = await listBatches(c.var.db, c.var.caller.tenantId);
    return c.json({ batches: await batchViews(c.var.db, rows) }, 200);
  });

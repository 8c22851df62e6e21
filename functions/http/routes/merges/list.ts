import type { OpenAPIHono } from '@hono/zod-openapi';
import { MergeList } from '../../../../schemas/api/merges.ts';
import { listMerges, mergeView } from '../../../domain/merges.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';

export const listMergesRoute = authedRoute('infer', {
  method: 'get',
  path: '/v1/merges',
  operationId: 'listMerges',
  summary: 'Your merge jobs, newest first (the last 100)',
  tags: ['merges'],
  responses: { 200: { description: 'merge jobs', content: { 'application/json': { schema: MergeList } } } },
});

export const registerListMerges = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(listMergesRoute, async (c) => c.json({ merges: (await listMerges(c.var.db, c.var.caller.tenantId)).map(mergeView) }, 200));

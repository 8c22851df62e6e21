import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { MergeJob, MergeParams } from '../../../schemas/api/merges.ts';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { requireKey } from '../../auth.ts';
import type { AppEnv } from '../../context.ts';
import { findMerge, mergeView } from '../../merge-jobs.ts';

export const getMergeRoute = createRoute({
  method: 'get',
  path: '/v1/merges/{id}',
  summary: 'A merge job: status, progress, any error, the version it made',
  tags: ['merges'],
  security: [{ bearer: [] }],
  middleware: [requireKey('infer')] as const,
  request: { params: MergeParams },
  responses: {
    200: { description: 'the job', content: { 'application/json': { schema: MergeJob } } },
    401: problemResponse('missing or unknown API key'),
    404: problemResponse('no such merge'),
  },
});

export const registerGetMerge = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(getMergeRoute, async (c) => {
    const row = await findMerge(drizzle(c.env.DB), c.get('caller')!.tenantId, c.req.valid('param').id);
    return c.json(mergeView(row), 200);
  });

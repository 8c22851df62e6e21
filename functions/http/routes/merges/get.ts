import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { pathId } from '../../../../schemas/api/common.ts';
import { MergeJob } from '../../../../schemas/api/merges.ts';
import { findMerge, mergeView } from '../../../domain/merges.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';

const MergeParams = z.object({ id: pathId('id', 'the merge id') });

export const getMergeRoute = authedRoute('infer', {
  method: 'get',
  path: '/v1/merges/{id}',
  operationId: 'getMerge',
  summary: 'A merge job: status, progress, any error, the version it made',
  tags: ['merges'],
  request: { params: MergeParams },
  errors: ['merge-not-found'],
  responses: { 200: { description: 'the job', content: { 'application/json': { schema: MergeJob } } } },
});

export const registerGetMerge = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(getMergeRoute, async (c) =>
    c.json(mergeView(await findMerge(c.var.db, c.var.caller.tenantId, c.req.valid('param').id)), 200),
  );

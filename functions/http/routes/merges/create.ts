import type { OpenAPIHono } from '@hono/zod-openapi';
import { MERGE_METHOD_RULES } from '../../../../schemas/api/merge-rules.ts';
import { CreateMerge, MergeJob } from '../../../../schemas/api/merges.ts';
import { createMerge, mergeView } from '../../../domain/merges.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';

// the same schema, its per-method rules stated in the document too
const Body = CreateMerge.openapi({ allOf: MERGE_METHOD_RULES } as { description?: string });

export const createMergeRoute = authedRoute('models:write', {
  method: 'post',
  path: '/v1/merges',
  operationId: 'createMerge',
  summary: 'Merge versions of your model into a new version (a queued job)',
  tags: ['merges'],
  request: { body: { required: true, content: { 'application/json': { schema: Body } } } },
  errors: ['model-not-found', 'read-only', 'version-not-found', 'file-not-found', 'webhook-url', 'webhook-events'],
  responses: { 202: { description: 'queued', content: { 'application/json': { schema: MergeJob } } } },
});

export const registerCreateMerge = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(createMergeRoute, async (c) => {
    const body = c.req.valid('json');
    c.set('usage', { operation: 'merge.create', model: body.model, items: body.experts.length });
    return c.json(mergeView(await createMerge(c.env, c.var.db, c.var.caller.tenantId, body)), 202);
  });

import type { OpenAPIHono } from '@hono/zod-openapi';
import { UsageQuery, UsageReport } from '../../../../schemas/api/usage.ts';
import { usageFor } from '../../../domain/usage/report.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';

export const getUsageRoute = authedRoute('usage:read', {
  method: 'get',
  path: '/v1/usage',
  operationId: 'getUsage',
  summary: "Your tenant's usage, aggregated by day, model, version, task or operation",
  tags: ['usage'],
  request: { query: UsageQuery },
  responses: { 200: { description: 'usage', content: { 'application/json': { schema: UsageReport } } } },
});

export const registerGetUsage = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(getUsageRoute, async (c) => {
    const { from, to, group_by, source } = c.req.valid('query');
    return c.json(await usageFor(c.var.db, { tenantId: c.var.caller.tenantId, from, to, groupBy: group_by, source }), 200);
  });

import type { OpenAPIHono } from '@hono/zod-openapi';
import { AdminUsageQuery, UsageReport } from '../../../../../schemas/api/usage.ts';
import { usageFor } from '../../../../domain/usage/report.ts';
import type { AppEnv } from '../../../context.ts';
import { adminRoute } from '../../../openapi.ts';

export const adminUsageRoute = adminRoute({
  method: 'get',
  path: '/v1/admin/usage',
  operationId: 'getAdminUsage',
  summary: 'Usage across tenants (or one, with ?tenant=)',
  request: { query: AdminUsageQuery },
  responses: { 200: { description: 'usage', content: { 'application/json': { schema: UsageReport } } } },
});

export const registerAdminUsage = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(adminUsageRoute, async (c) => {
    const { from, to, group_by, tenant, source } = c.req.valid('query');
    return c.json(await usageFor(c.var.db, { tenantId: tenant, from, to, groupBy: group_by, source }), 200);
  });

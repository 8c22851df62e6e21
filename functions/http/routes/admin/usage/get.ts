import type { OpenAPIHono } from '@hono/zod-openapi';
import { AdminUsageQuery, UsageReport } from '../../../../../schemas/api/usage.ts';
import { usageReport, window } from '../../../../domain/usage/report.ts';
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
    const q = c.req.valid('query');
    const { from, to } = window(q);
    const rows = await usageReport(c.var.db, { tenantId: q.tenant, from, to, groupBy: q.group_by });
    return c.json({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), group_by: q.group_by, rows }, 200);
  });

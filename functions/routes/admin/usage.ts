import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { AdminUsageQuery, UsageReport } from '../../../schemas/api/usage.ts';
import { requireAdmin } from '../../admin-auth.ts';
import type { AppEnv } from '../../context.ts';
import { usageReport, window } from '../../usage-report.ts';

export const adminUsageRoute = createRoute({
  method: 'get',
  path: '/v1/admin/usage',
  summary: 'Usage across tenants (or one, with ?tenant=)',
  tags: ['admin'],
  security: [{ bearer: [] }],
  middleware: [requireAdmin] as const,
  request: { query: AdminUsageQuery },
  responses: {
    200: { description: 'usage', content: { 'application/json': { schema: UsageReport } } },
    401: problemResponse('not the admin token'),
  },
});

export const registerAdminUsage = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(adminUsageRoute, async (c) => {
    const q = c.req.valid('query');
    const { from, to } = window(q);
    const rows = await usageReport(drizzle(c.env.DB), { tenantId: q.tenant, from, to, groupBy: q.group_by });
    return c.json({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), group_by: q.group_by, rows }, 200);
  });

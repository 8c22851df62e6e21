import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { TenantList } from '../../../../schemas/api/admin.ts';
import { problemResponse } from '../../../../schemas/api/problem.ts';
import { tenants } from '../../../../schemas/db/schema.ts';
import { requireAdmin } from '../../../admin-auth.ts';
import { tenantView } from '../../../admin-views.ts';
import type { AppEnv } from '../../../context.ts';

export const listTenantsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/tenants',
  summary: 'List tenants',
  tags: ['admin'],
  security: [{ bearer: [] }],
  middleware: [requireAdmin] as const,
  responses: {
    200: { description: 'tenants', content: { 'application/json': { schema: TenantList } } },
    401: problemResponse('not the admin token'),
  },
});

export const registerListTenants = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(listTenantsRoute, async (c) => {
    const rows = await drizzle(c.env.DB).select().from(tenants).orderBy(tenants.createdAt);
    return c.json({ tenants: rows.map(tenantView) }, 200);
  });

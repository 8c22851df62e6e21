import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { CreateTenant, Tenant } from '../../../../schemas/api/admin.ts';
import { problemResponse } from '../../../../schemas/api/problem.ts';
import { tenants } from '../../../../schemas/db/schema.ts';
import { requireAdmin } from '../../../admin-auth.ts';
import { tenantView } from '../../../admin-views.ts';
import type { AppEnv } from '../../../context.ts';
import { ApiError } from '../../../problem.ts';

export const createTenantRoute = createRoute({
  method: 'post',
  path: '/v1/admin/tenants',
  summary: 'Create a tenant',
  tags: ['admin'],
  security: [{ bearer: [] }],
  middleware: [requireAdmin] as const,
  request: { body: { required: true, content: { 'application/json': { schema: CreateTenant } } } },
  responses: {
    201: { description: 'the tenant', content: { 'application/json': { schema: Tenant } } },
    401: problemResponse('not the admin token'),
    409: problemResponse('a tenant with that id exists'),
  },
});

export const registerCreateTenant = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(createTenantRoute, async (c) => {
    const body = c.req.valid('json');
    const db = drizzle(c.env.DB);
    const id = body.id ?? crypto.randomUUID();
    const [row] = await db.insert(tenants).values({ id, name: body.name }).onConflictDoNothing().returning();
    if (!row) throw new ApiError(409, 'tenant-exists', `tenant "${id}" exists already`);
    const [created] = await db.select().from(tenants).where(eq(tenants.id, id));
    return c.json(tenantView(created!), 201);
  });

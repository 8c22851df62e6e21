import type { OpenAPIHono } from '@hono/zod-openapi';
import { CreateTenant, Tenant } from '../../../../../schemas/api/admin.ts';
import { createTenant } from '../../../../domain/tenants.ts';
import type { AppEnv } from '../../../context.ts';
import { adminRoute } from '../../../openapi.ts';
import { tenantView } from '../../../views/admin.ts';

export const createTenantRoute = adminRoute({
  method: 'post',
  path: '/v1/admin/tenants',
  operationId: 'createTenant',
  summary: 'Create a tenant',
  request: { body: { required: true, content: { 'application/json': { schema: CreateTenant } } } },
  errors: ['tenant-exists'],
  responses: { 201: { description: 'the tenant', content: { 'application/json': { schema: Tenant } } } },
});

export const registerCreateTenant = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(createTenantRoute, async (c) => {
    const body = c.req.valid('json');
    return c.json(tenantView(await createTenant(c.var.db, body.name, body.id)), 201);
  });

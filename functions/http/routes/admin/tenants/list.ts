import type { OpenAPIHono } from '@hono/zod-openapi';
import { TenantList } from '../../../../../schemas/api/admin.ts';
import { listTenants } from '../../../../domain/tenants.ts';
import type { AppEnv } from '../../../context.ts';
import { adminRoute } from '../../../openapi.ts';
import { tenantView } from '../../../views/admin.ts';

export const listTenantsRoute = adminRoute({
  method: 'get',
  path: '/v1/admin/tenants',
  operationId: 'listTenants',
  summary: 'List tenants',
  responses: { 200: { description: 'tenants', content: { 'application/json': { schema: TenantList } } } },
});

export const registerListTenants = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(listTenantsRoute, async (c) => c.json({ tenants: (await listTenants(c.var.db)).map(tenantView) }, 200));

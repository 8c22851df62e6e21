import type { OpenAPIHono } from '@hono/zod-openapi';
import { TenantParams } from '../../../../../../schemas/api/admin.ts';
import { Origins } from '../../../../../../schemas/api/keys.ts';
import { tenantOrigins } from '../../../../../domain/origins.ts';
import type { AppEnv } from '../../../../context.ts';
import { adminRoute } from '../../../../openapi.ts';
import { originsView } from '../../../../views/admin.ts';

export const adminGetOriginsRoute = adminRoute({
  method: 'get',
  path: '/v1/admin/tenants/{tenant}/origins',
  operationId: 'adminGetOrigins',
  summary: "A tenant's browser origins",
  request: { params: TenantParams },
  errors: ['tenant-not-found'],
  responses: { 200: { description: 'origins', content: { 'application/json': { schema: Origins } } } },
});

export const registerAdminGetOrigins = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(adminGetOriginsRoute, async (c) => c.json(originsView(await tenantOrigins(c.var.db, c.req.valid('param').tenant)), 200));

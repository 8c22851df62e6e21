import type { OpenAPIHono } from '@hono/zod-openapi';
import { TenantParams } from '../../../../../../schemas/api/admin.ts';
import { Origins } from '../../../../../../schemas/api/keys.ts';
import { setTenantOrigins } from '../../../../../domain/origins.ts';
import type { AppEnv } from '../../../../context.ts';
import { adminRoute } from '../../../../openapi.ts';
import { originsView } from '../../../../views/admin.ts';

export const adminPutOriginsRoute = adminRoute({
  method: 'put',
  path: '/v1/admin/tenants/{tenant}/origins',
  operationId: 'adminPutOrigins',
  summary: "Replace a tenant's browser origins",
  request: { params: TenantParams, body: { required: true, content: { 'application/json': { schema: Origins } } } },
  errors: ['tenant-not-found'],
  responses: { 200: { description: 'origins', content: { 'application/json': { schema: Origins } } } },
});

export const registerAdminPutOrigins = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(adminPutOriginsRoute, async (c) => {
    const body = c.req.valid('json');
    const next = { defaultOrigins: body.default_origins, secretKeyOrigins: body.secret_key_origins };
    return c.json(originsView(await setTenantOrigins(c.var.db, c.req.valid('param').tenant, next)), 200);
  });

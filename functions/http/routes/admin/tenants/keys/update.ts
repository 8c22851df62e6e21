import type { OpenAPIHono } from '@hono/zod-openapi';
import { ApiKey, KeyParams } from '../../../../../../schemas/api/admin.ts';
import { UpdatePublishableKey } from '../../../../../../schemas/api/keys.ts';
import { changePublishableKey } from '../../../../../domain/publishable-keys.ts';
import { findTenant } from '../../../../../domain/tenants.ts';
import type { AppEnv } from '../../../../context.ts';
import { adminRoute } from '../../../../openapi.ts';
import { keyView } from '../../../../views/admin.ts';

export const adminUpdateKeyRoute = adminRoute({
  method: 'patch',
  path: '/v1/admin/tenants/{tenant}/keys/{key}',
  operationId: 'adminUpdateKey',
  summary: "Change a publishable key's name, models or origins (the key itself stays)",
  request: { params: KeyParams, body: { required: true, content: { 'application/json': { schema: UpdatePublishableKey } } } },
  errors: ['tenant-not-found', 'key-not-found', 'model-not-found'],
  responses: { 200: { description: 'the key', content: { 'application/json': { schema: ApiKey } } } },
});

export const registerAdminUpdateKey = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(adminUpdateKeyRoute, async (c) => {
    const { tenant: tenantId, key } = c.req.valid('param');
    const tenant = await findTenant(c.var.db, tenantId);
    return c.json(keyView(await changePublishableKey(c.var.db, tenant.id, key, c.req.valid('json'))), 200);
  });

import type { OpenAPIHono } from '@hono/zod-openapi';
import { ApiKeyList, TenantParams } from '../../../../../../schemas/api/admin.ts';
import { listKeys } from '../../../../../domain/keys.ts';
import { findTenant } from '../../../../../domain/tenants.ts';
import type { AppEnv } from '../../../../context.ts';
import { adminRoute } from '../../../../openapi.ts';
import { keyView } from '../../../../views/admin.ts';

export const listKeysRoute = adminRoute({
  method: 'get',
  path: '/v1/admin/tenants/{tenant}/keys',
  operationId: 'listKeys',
  summary: "List a tenant's keys (never their secrets)",
  request: { params: TenantParams },
  errors: ['tenant-not-found'],
  responses: { 200: { description: 'keys', content: { 'application/json': { schema: ApiKeyList } } } },
});

export const registerListKeys = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(listKeysRoute, async (c) => {
    const tenant = await findTenant(c.var.db, c.req.valid('param').tenant);
    return c.json({ keys: (await listKeys(c.var.db, tenant.id)).map(keyView) }, 200);
  });

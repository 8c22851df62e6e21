import type { OpenAPIHono } from '@hono/zod-openapi';
import { ApiKey, KeyParams } from '../../../../../../schemas/api/admin.ts';
import { ApiError } from '../../../../../../schemas/api/problems.ts';
import { revokeKey } from '../../../../../domain/keys.ts';
import { findTenant } from '../../../../../domain/tenants.ts';
import type { AppEnv } from '../../../../context.ts';
import { adminRoute } from '../../../../openapi.ts';
import { keyView } from '../../../../views/admin.ts';

export const revokeKeyRoute = adminRoute({
  method: 'delete',
  path: '/v1/admin/tenants/{tenant}/keys/{key}',
  operationId: 'revokeKey',
  summary: 'Revoke a key',
  request: { params: KeyParams },
  errors: ['tenant-not-found', 'key-not-found'],
  responses: { 200: { description: 'the revoked key', content: { 'application/json': { schema: ApiKey } } } },
});

export const registerRevokeKey = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(revokeKeyRoute, async (c) => {
    const { tenant: tenantId, key } = c.req.valid('param');
    const tenant = await findTenant(c.var.db, tenantId);
    const row = await revokeKey(c.var.db, tenant.id, key);
    if (!row) throw new ApiError('key-not-found', `tenant "${tenant.id}" has no live key "${key}"`);
    return c.json(keyView(row), 200);
  });

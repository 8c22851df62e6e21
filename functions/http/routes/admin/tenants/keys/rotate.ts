import type { OpenAPIHono } from '@hono/zod-openapi';
import { IssuedKey, KeyParams } from '../../../../../../schemas/api/admin.ts';
import { ApiError } from '../../../../../../schemas/api/problems.ts';
import { rotateKey } from '../../../../../domain/keys.ts';
import { findTenant } from '../../../../../domain/tenants.ts';
import type { AppEnv } from '../../../../context.ts';
import { adminRoute } from '../../../../openapi.ts';
import { keyView } from '../../../../views/admin.ts';

export const rotateKeyRoute = adminRoute({
  method: 'post',
  path: '/v1/admin/tenants/{tenant}/keys/{key}/rotate',
  operationId: 'rotateKey',
  summary: 'Replace a key with a new one (same name and scopes); the old one is revoked',
  request: { params: KeyParams },
  errors: ['tenant-not-found', 'key-not-found'],
  responses: { 201: { description: 'the new key, with its secret this once', content: { 'application/json': { schema: IssuedKey } } } },
});

export const registerRotateKey = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(rotateKeyRoute, async (c) => {
    const { tenant: tenantId, key } = c.req.valid('param');
    const tenant = await findTenant(c.var.db, tenantId);
    const rotated = await rotateKey(c.var.db, tenant.id, key);
    if (!rotated) throw new ApiError('key-not-found', `tenant "${tenant.id}" has no live key "${key}"`);
    return c.json({ ...keyView(rotated.row), key: rotated.key }, 201);
  });

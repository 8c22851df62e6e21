import type { OpenAPIHono } from '@hono/zod-openapi';
import { CreateKey, IssuedKey, TenantParams } from '../../../../../../schemas/api/admin.ts';
import { issueKey } from '../../../../../domain/keys.ts';
import { findTenant } from '../../../../../domain/tenants.ts';
import type { AppEnv } from '../../../../context.ts';
import { adminRoute } from '../../../../openapi.ts';
import { keyView } from '../../../../views/admin.ts';

export const createKeyRoute = adminRoute({
  method: 'post',
  path: '/v1/admin/tenants/{tenant}/keys',
  operationId: 'createKey',
  summary: 'Issue an API key (shown once)',
  request: { params: TenantParams, body: { required: true, content: { 'application/json': { schema: CreateKey } } } },
  errors: ['tenant-not-found'],
  responses: { 201: { description: 'the key, with its secret this once', content: { 'application/json': { schema: IssuedKey } } } },
});

export const registerCreateKey = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(createKeyRoute, async (c) => {
    const tenant = await findTenant(c.var.db, c.req.valid('param').tenant);
    const body = c.req.valid('json');
    const { key, row } = await issueKey(c.var.db, tenant.id, body.scopes, body.name);
    return c.json({ ...keyView(row), key }, 201);
  });

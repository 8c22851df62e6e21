import type { OpenAPIHono } from '@hono/zod-openapi';
import { IssuedKey, TenantParams } from '../../../../../../schemas/api/admin.ts';
import { CreatePublishableKey } from '../../../../../../schemas/api/keys.ts';
import { issuePublishableKey } from '../../../../../domain/publishable-keys.ts';
import { findTenant } from '../../../../../domain/tenants.ts';
import type { AppEnv } from '../../../../context.ts';
import { adminRoute } from '../../../../openapi.ts';
import { keyView } from '../../../../views/admin.ts';

export const adminCreatePublishableKeyRoute = adminRoute({
  method: 'post',
  path: '/v1/admin/tenants/{tenant}/publishable-keys',
  operationId: 'adminCreatePublishableKey',
  summary: "Issue a publishable key for a tenant (shown once); list, rotate and revoke it with the tenant's keys",
  request: { params: TenantParams, body: { required: true, content: { 'application/json': { schema: CreatePublishableKey } } } },
  errors: ['tenant-not-found', 'model-not-found'],
  responses: { 201: { description: 'the key, with its secret this once', content: { 'application/json': { schema: IssuedKey } } } },
});

export const registerAdminCreatePublishableKey = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(adminCreatePublishableKeyRoute, async (c) => {
    const tenant = await findTenant(c.var.db, c.req.valid('param').tenant);
    const { key, row } = await issuePublishableKey(c.var.db, tenant.id, c.req.valid('json'));
    return c.json({ ...keyView(row), key }, 201);
  });

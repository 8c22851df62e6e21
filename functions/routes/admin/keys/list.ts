import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { ApiKeyList, TenantParams } from '../../../../schemas/api/admin.ts';
import { problemResponse } from '../../../../schemas/api/problem.ts';
import { requireAdmin } from '../../../admin-auth.ts';
import { keyView } from '../../../admin-views.ts';
import type { AppEnv } from '../../../context.ts';
import { listKeys } from '../../../keys.ts';
import { findTenant } from '../../../tenants.ts';

export const listKeysRoute = createRoute({
  method: 'get',
  path: '/v1/admin/tenants/{tenant}/keys',
  summary: "List a tenant's keys (never their secrets)",
  tags: ['admin'],
  security: [{ bearer: [] }],
  middleware: [requireAdmin] as const,
  request: { params: TenantParams },
  responses: {
    200: { description: 'keys', content: { 'application/json': { schema: ApiKeyList } } },
    401: problemResponse('not the admin token'),
    404: problemResponse('no such tenant'),
  },
});

export const registerListKeys = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(listKeysRoute, async (c) => {
    const db = drizzle(c.env.DB);
    const tenant = await findTenant(db, c.req.valid('param').tenant);
    return c.json({ keys: (await listKeys(db, tenant.id)).map(keyView) }, 200);
  });

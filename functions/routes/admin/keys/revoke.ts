import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { ApiKey, KeyParams } from '../../../../schemas/api/admin.ts';
import { problemResponse } from '../../../../schemas/api/problem.ts';
import { requireAdmin } from '../../../admin-auth.ts';
import { keyView } from '../../../admin-views.ts';
import { keyCache } from '../../../auth.ts';
import type { AppEnv } from '../../../context.ts';
import { revokeKey } from '../../../keys.ts';
import { ApiError } from '../../../problem.ts';
import { findTenant } from '../../../tenants.ts';

export const revokeKeyRoute = createRoute({
  method: 'delete',
  path: '/v1/admin/tenants/{tenant}/keys/{key}',
  summary: 'Revoke a key',
  tags: ['admin'],
  security: [{ bearer: [] }],
  middleware: [requireAdmin] as const,
  request: { params: KeyParams },
  responses: {
    200: { description: 'the revoked key', content: { 'application/json': { schema: ApiKey } } },
    401: problemResponse('not the admin token'),
    404: problemResponse('no such tenant or live key'),
  },
});

export const registerRevokeKey = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(revokeKeyRoute, async (c) => {
    const db = drizzle(c.env.DB);
    const { tenant: tenantId, key } = c.req.valid('param');
    const tenant = await findTenant(db, tenantId);
    const row = await revokeKey(db, tenant.id, key);
    if (!row) throw new ApiError(404, 'key-not-found', `tenant "${tenant.id}" has no live key "${key}"`);
    keyCache.clear(); // this isolate stops accepting it at once; others within CACHE_TTL_MS
    return c.json(keyView(row), 200);
  });

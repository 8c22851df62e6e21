import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { IssuedKey, KeyParams } from '../../../../schemas/api/admin.ts';
import { problemResponse } from '../../../../schemas/api/problem.ts';
import { apiKeys } from '../../../../schemas/db/schema.ts';
import { requireAdmin } from '../../../admin-auth.ts';
import { keyView } from '../../../admin-views.ts';
import { keyCache } from '../../../auth.ts';
import type { AppEnv } from '../../../context.ts';
import { rotateKey } from '../../../keys.ts';
import { ApiError } from '../../../problem.ts';
import { findTenant } from '../../../tenants.ts';

export const rotateKeyRoute = createRoute({
  method: 'post',
  path: '/v1/admin/tenants/{tenant}/keys/{key}/rotate',
  summary: 'Replace a key with a new one (same name and scopes); the old one is revoked',
  tags: ['admin'],
  security: [{ bearer: [] }],
  middleware: [requireAdmin] as const,
  request: { params: KeyParams },
  responses: {
    201: { description: 'the new key, with its secret this once', content: { 'application/json': { schema: IssuedKey } } },
    401: problemResponse('not the admin token'),
    404: problemResponse('no such tenant or live key'),
  },
});

export const registerRotateKey = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(rotateKeyRoute, async (c) => {
    const db = drizzle(c.env.DB);
    const { tenant: tenantId, key } = c.req.valid('param');
    const tenant = await findTenant(db, tenantId);
    const rotated = await rotateKey(db, tenant.id, key);
    if (!rotated) throw new ApiError(404, 'key-not-found', `tenant "${tenant.id}" has no live key "${key}"`);
    keyCache.clear(); // this isolate stops accepting the old key at once
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, rotated.id));
    return c.json({ ...keyView(row!), key: rotated.key }, 201);
  });

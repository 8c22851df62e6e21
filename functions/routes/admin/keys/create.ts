import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { CreateKey, IssuedKey, TenantParams } from '../../../../schemas/api/admin.ts';
import { problemResponse } from '../../../../schemas/api/problem.ts';
import { apiKeys } from '../../../../schemas/db/schema.ts';
import { requireAdmin } from '../../../admin-auth.ts';
import { keyView } from '../../../admin-views.ts';
import type { AppEnv } from '../../../context.ts';
import { issueKey } from '../../../keys.ts';
import { findTenant } from '../../../tenants.ts';

export const createKeyRoute = createRoute({
  method: 'post',
  path: '/v1/admin/tenants/{tenant}/keys',
  summary: 'Issue an API key (shown once)',
  tags: ['admin'],
  security: [{ bearer: [] }],
  middleware: [requireAdmin] as const,
  request: { params: TenantParams, body: { required: true, content: { 'application/json': { schema: CreateKey } } } },
  responses: {
    201: { description: 'the key, with its secret this once', content: { 'application/json': { schema: IssuedKey } } },
    401: problemResponse('not the admin token'),
    404: problemResponse('no such tenant'),
  },
});

export const registerCreateKey = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(createKeyRoute, async (c) => {
    const db = drizzle(c.env.DB);
    const tenant = await findTenant(db, c.req.valid('param').tenant);
    const body = c.req.valid('json');
    const issued = await issueKey(db, tenant.id, body.scopes, body.name);
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, issued.id));
    return c.json({ ...keyView(row!), key: issued.key }, 201);
  });

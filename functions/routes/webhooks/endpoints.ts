import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { EndpointList } from '../../../schemas/api/webhooks.ts';
import { webhookEndpoints } from '../../../schemas/db/schema.ts';
import { iso } from '../../admin-views.ts';
import { requireKey } from '../../auth.ts';
import type { AppEnv } from '../../context.ts';

export const listEndpointsRoute = createRoute({
  method: 'get',
  path: '/v1/webhooks/endpoints',
  summary: 'Webhook URLs a delivery was given up on, and whether they still fail',
  tags: ['webhooks'],
  security: [{ bearer: [] }],
  middleware: [requireKey('batches')] as const,
  responses: {
    200: { description: 'endpoints', content: { 'application/json': { schema: EndpointList } } },
    401: problemResponse('missing or unknown API key'),
  },
});

export const registerListEndpoints = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(listEndpointsRoute, async (c) => {
    const rows = await drizzle(c.env.DB)
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.tenantId, c.get('caller')!.tenantId));
    return c.json({ endpoints: rows.map((r) => ({ url: r.url, failing_since: iso(r.failingSince) })) }, 200);
  });

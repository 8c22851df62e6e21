import type { OpenAPIHono } from '@hono/zod-openapi';
import { EndpointList } from '../../../../../schemas/api/webhooks.ts';
import { listEndpoints } from '../../../../domain/webhooks/deliveries.ts';
import type { AppEnv } from '../../../context.ts';
import { authedRoute } from '../../../openapi.ts';
import { iso } from '../../../views/time.ts';

export const listEndpointsRoute = authedRoute('batches', {
  method: 'get',
  path: '/v1/webhooks/endpoints',
  operationId: 'listWebhookEndpoints',
  summary: 'Webhook URLs a delivery was given up on, and whether they still fail',
  tags: ['webhooks'],
  responses: { 200: { description: 'endpoints', content: { 'application/json': { schema: EndpointList } } } },
});

export const registerListEndpoints = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(listEndpointsRoute, async (c) => {
    const rows = await listEndpoints(c.var.db, c.var.caller.tenantId);
    return c.json({ endpoints: rows.map((r) => ({ url: r.url, failing_since: iso(r.failingSince) })) }, 200);
  });

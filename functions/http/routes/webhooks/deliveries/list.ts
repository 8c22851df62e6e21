import type { OpenAPIHono } from '@hono/zod-openapi';
import { DeliveryList } from '../../../../../schemas/api/webhooks.ts';
import { listDeliveries } from '../../../../domain/webhooks/deliveries.ts';
import type { AppEnv } from '../../../context.ts';
import { authedRoute } from '../../../openapi.ts';
import { deliveryView } from '../../../views/webhooks.ts';

export const listDeliveriesRoute = authedRoute('batches', {
  method: 'get',
  path: '/v1/webhooks/deliveries',
  operationId: 'listWebhookDeliveries',
  summary: 'Your webhook deliveries and every attempt (newest first, the last 100)',
  tags: ['webhooks'],
  responses: { 200: { description: 'deliveries', content: { 'application/json': { schema: DeliveryList } } } },
});

export const registerListDeliveries = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(listDeliveriesRoute, async (c) =>
    c.json({ deliveries: (await listDeliveries(c.var.db, c.var.caller.tenantId)).map(deliveryView) }, 200),
  );

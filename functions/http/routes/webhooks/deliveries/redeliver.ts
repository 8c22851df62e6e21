import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { DeliveryParams } from '../../../../../schemas/api/webhooks.ts';
import { redeliver } from '../../../../domain/webhooks/deliveries.ts';
import type { AppEnv } from '../../../context.ts';
import { authedRoute } from '../../../openapi.ts';

const Queued = z.object({ id: z.string(), status: z.literal('pending') });

export const redeliverRoute = authedRoute('batches', {
  method: 'post',
  path: '/v1/webhooks/deliveries/{id}/redeliver',
  operationId: 'redeliverWebhook',
  summary: 'Send a delivery again (same webhook-id, new attempt)',
  tags: ['webhooks'],
  request: { params: DeliveryParams },
  errors: ['delivery-not-found'],
  responses: { 202: { description: 'queued', content: { 'application/json': { schema: Queued } } } },
});

export const registerRedeliver = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(redeliverRoute, async (c) => {
    const { id } = c.req.valid('param');
    await redeliver(c.env, c.var.db, c.var.caller.tenantId, id);
    return c.json({ id, status: 'pending' as const }, 202);
  });

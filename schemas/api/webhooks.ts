import { z } from '@hono/zod-openapi';
import { DELIVERY_STATUSES, WEBHOOK_EVENTS } from '../vocabulary.ts';

export const WebhookTarget = z
  .object({
    url: z.string().url(),
    events: z
      .array(z.string())
      .optional()
      .openapi({ description: `the events to send (default all): ${WEBHOOK_EVENTS.join(', ')}` }),
  })
  .openapi('WebhookTarget');

export const WebhookSecret = z
  .object({
    secret: z.string().openapi({ description: 'whsec_…: verify deliveries with any Standard Webhooks library' }),
    previous: z.string().nullable().openapi({ description: 'still signs (a second signature) until the next rotation' }),
  })
  .openapi('WebhookSecret');

export const Delivery = z
  .object({
    id: z.string(),
    event: z.string(),
    url: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.array(
      z.object({ status_code: z.number().int().nullable(), error: z.string().nullable(), duration_ms: z.number(), at: z.string() }),
    ),
    created_at: z.string(),
    delivered_at: z.string().nullable(),
  })
  .openapi('WebhookDelivery');
export const DeliveryList = z.object({ deliveries: z.array(Delivery) }).openapi('WebhookDeliveryList');
export const DeliveryParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });
export const EndpointList = z
  .object({
    endpoints: z.array(
      z.object({
        url: z.string(),
        failing_since: z
          .string()
          .nullable()
          .openapi({ description: 'when a delivery to it was given up after 24 h of retries; null once one is accepted again' }),
      }),
    ),
  })
  .openapi('WebhookEndpointList');

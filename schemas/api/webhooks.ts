import { z } from '@hono/zod-openapi';
import { DELIVERY_STATUSES, WEBHOOK_EVENTS } from '../vocabulary.ts';
import { pathId, Timestamp } from './common.ts';

export const WebhookTarget = z
  .object({
    url: z.string().url().openapi({
      format: 'uri',
      pattern: '^https?://',
      description: 'https on a public address (deployed; http and private addresses only locally)',
    }),
    events: z
      .array(z.string())
      .optional()
      .openapi({ description: `the events to send (default all): ${WEBHOOK_EVENTS.join(', ')}; another is a 422 webhook-events` }),
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
    id: z.string().openapi({ description: 'the webhook-id header of every attempt' }),
    event: z.enum(WEBHOOK_EVENTS),
    url: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.array(
      z.object({
        status_code: z.number().int().nullable().openapi({ description: "the receiver's answer; null when none came" }),
        error: z.string().nullable(),
        duration_ms: z.number().min(0),
        at: Timestamp,
      }),
    ),
    created_at: Timestamp,
    delivered_at: Timestamp.nullable(),
  })
  .openapi('WebhookDelivery');
export const DeliveryList = z.object({ deliveries: z.array(Delivery) }).openapi('WebhookDeliveryList');
export const DeliveryParams = z.object({ id: pathId('id', 'the delivery id (its webhook-id)') });
export const EndpointList = z
  .object({
    endpoints: z.array(
      z.object({
        url: z.string(),
        failing_since: Timestamp.nullable().openapi({
          description: 'when a delivery to it was given up after 24 h of retries; null once one is accepted again',
        }),
      }),
    ),
  })
  .openapi('WebhookEndpointList');

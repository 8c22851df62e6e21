import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { DeliveryParams } from '../../../schemas/api/webhooks.ts';
import { webhookDeliveries } from '../../../schemas/db/schema.ts';
import { requireKey } from '../../auth.ts';
import type { AppEnv } from '../../context.ts';
import type { JobMessage } from '../../jobs/messages.ts';
import { ApiError } from '../../problem.ts';

export const redeliverRoute = createRoute({
  method: 'post',
  path: '/v1/webhooks/deliveries/{id}/redeliver',
  summary: 'Send a delivery again (same webhook-id, new attempt)',
  tags: ['webhooks'],
  security: [{ bearer: [] }],
  middleware: [requireKey('batches')] as const,
  request: { params: DeliveryParams },
  responses: {
    202: { description: 'queued', content: { 'application/json': { schema: z.object({ id: z.string(), status: z.literal('pending') }) } } },
    401: problemResponse('missing or unknown API key'),
    404: problemResponse('no such delivery'),
  },
});

export const registerRedeliver = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(redeliverRoute, async (c) => {
    const { id } = c.req.valid('param');
    const [row] = await drizzle(c.env.DB)
      .update(webhookDeliveries)
      .set({ status: 'pending', createdAt: Date.now() })
      .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.tenantId, c.get('caller')!.tenantId)))
      .returning();
    if (!row) throw new ApiError(404, 'delivery-not-found', `no delivery "${id}"`);
    await c.env.JOBS.send({ kind: 'webhook', id } satisfies JobMessage);
    return c.json({ id, status: 'pending' as const }, 202);
  });

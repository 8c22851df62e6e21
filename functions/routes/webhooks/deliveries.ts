import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { desc, eq, inArray } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { DeliveryList } from '../../../schemas/api/webhooks.ts';
import { webhookAttempts, webhookDeliveries } from '../../../schemas/db/schema.ts';
import { iso } from '../../admin-views.ts';
import { requireKey } from '../../auth.ts';
import type { AppEnv } from '../../context.ts';

export const listDeliveriesRoute = createRoute({
  method: 'get',
  path: '/v1/webhooks/deliveries',
  summary: 'Your webhook deliveries and every attempt (newest first, the last 100)',
  tags: ['webhooks'],
  security: [{ bearer: [] }],
  middleware: [requireKey('batches')] as const,
  responses: {
    200: { description: 'deliveries', content: { 'application/json': { schema: DeliveryList } } },
    401: problemResponse('missing or unknown API key'),
  },
});

export const registerListDeliveries = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(listDeliveriesRoute, async (c) => {
    const db = drizzle(c.env.DB);
    const rows = await db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.tenantId, c.get('caller')!.tenantId))
      .orderBy(desc(webhookDeliveries.createdAt))
      .limit(100);
    const attempts = rows.length
      ? await db
          .select()
          .from(webhookAttempts)
          .where(
            inArray(
              webhookAttempts.deliveryId,
              rows.map((r) => r.id),
            ),
          )
          .orderBy(webhookAttempts.id)
      : [];
    return c.json(
      {
        deliveries: rows.map((d) => ({
          id: d.id,
          event: d.event,
          url: d.url,
          status: d.status as 'pending' | 'delivered' | 'failed',
          created_at: iso(d.createdAt)!,
          delivered_at: iso(d.deliveredAt),
          attempts: attempts
            .filter((a) => a.deliveryId === d.id)
            .map((a) => ({ status_code: a.statusCode, error: a.error, duration_ms: a.durationMs, at: iso(a.createdAt)! })),
        })),
      },
      200,
    );
  });

// A tenant's view of its outbound webhooks: deliveries with every attempt, sending one
// again, and the endpoints given up on.
import { and, desc, eq, inArray } from 'drizzle-orm';
import { ApiError } from '../../../schemas/api/problems.ts';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from '../../../schemas/db/schema.ts';
import type { Db } from '../../infra/db.ts';
import { enqueue } from '../queue.ts';

export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type AttemptRow = typeof webhookAttempts.$inferSelect;
export type EndpointRow = typeof webhookEndpoints.$inferSelect;

/** The last 100 deliveries, newest first, each with its attempts in order. */
export async function listDeliveries(db: Db, tenantId: string): Promise<(DeliveryRow & { attemptLog: AttemptRow[] })[]> {
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.tenantId, tenantId))
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
  return rows.map((d) => ({ ...d, attemptLog: attempts.filter((a) => a.deliveryId === d.id) }));
}

/** Sends a delivery again: same webhook-id, a new attempt. */
export async function redeliver(env: Env, db: Db, tenantId: string, id: string): Promise<void> {
  const [row] = await db
    .update(webhookDeliveries)
    .set({ status: 'pending', createdAt: Date.now() })
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.tenantId, tenantId)))
    .returning();
  if (!row) throw new ApiError('delivery-not-found', `no delivery "${id}"`);
  await enqueue(env, { kind: 'webhook', id });
}

export const listEndpoints = (db: Db, tenantId: string): Promise<EndpointRow[]> =>
  db.select().from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, tenantId));

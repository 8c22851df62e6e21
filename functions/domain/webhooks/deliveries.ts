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

/** Sends a delivery again: same webhook-id, a new attempt now. A delivered or failed one
 * is reopened for another 24 hours of retries; a pending one keeps its retry chain, and
 * the message sent here only brings its next attempt forward (whichever message takes
 * that attempt first makes it; the other finds it taken and stops). */
export async function redeliver(env: Env, db: Db, tenantId: string, id: string): Promise<void> {
  const mine = and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.tenantId, tenantId));
  const [seen] = await db.select().from(webhookDeliveries).where(mine);
  if (!seen) throw new ApiError('delivery-not-found', `no delivery "${id}"`);
  let attempt = seen.attempts;
  if (seen.status !== 'pending') {
    const [reopened] = await db
      .update(webhookDeliveries)
      .set({ status: 'pending', createdAt: Date.now(), nextAttemptAt: Date.now() })
      .where(and(mine, eq(webhookDeliveries.status, seen.status)))
      .returning();
    attempt = reopened?.attempts ?? attempt; // or a concurrent redeliver reopened it first
  }
  await enqueue(env, { kind: 'webhook', id, attempt });
}

export const listEndpoints = (db: Db, tenantId: string): Promise<EndpointRow[]> =>
  db.select().from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, tenantId));

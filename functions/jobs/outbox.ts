// The outbox sweep (cron): a pending delivery long past its due time lost its queue
// message (the send failed, or the isolate died between writing the row and sending).
// Each gets a message for its current attempt again; if the old message turns up after
// all, the attempt count lets only one of them make that attempt.
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { webhookDeliveries } from '../../schemas/db/schema.ts';
import { enqueueAll } from '../domain/queue.ts';
import { limits } from '../infra/config.ts';
import { dbOf } from '../infra/db.ts';

const PER_RUN = 500;

/** Sends the overdue pending deliveries again; how many. */
export async function sweepOutbox(env: Env, now: number): Promise<number> {
  const db = dbOf(env.DB);
  const overdue = await db
    .select({ id: webhookDeliveries.id, attempts: webhookDeliveries.attempts })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, 'pending'),
        lt(sql`coalesce(${webhookDeliveries.nextAttemptAt}, ${webhookDeliveries.createdAt})`, now - limits(env).outboxGraceMs),
      ),
    )
    .limit(PER_RUN);
  if (overdue.length === 0) return 0;
  // due from now: the next sweeps leave them to these messages for a grace period
  for (let i = 0; i < overdue.length; i += 90) {
    const ids = overdue.slice(i, i + 90).map((d) => d.id);
    await db
      .update(webhookDeliveries)
      .set({ nextAttemptAt: now })
      .where(and(inArray(webhookDeliveries.id, ids), eq(webhookDeliveries.status, 'pending')));
  }
  await enqueueAll(
    env,
    overdue.map((d) => ({ kind: 'webhook', id: d.id, attempt: d.attempts })),
  );
  return overdue.length;
}

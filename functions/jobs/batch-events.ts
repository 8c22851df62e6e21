// How a batch ends, whichever way it ends: the one update that moves it out of queued or
// running wins, and only that one sends the webhook, so it is sent once.
import { and, eq, inArray } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { batches } from '../../schemas/db/schema.ts';
import { type BatchRow, batchView } from '../batches.ts';
import { emitEvent, type WebhookEvent } from '../webhooks.ts';

type Ending = 'completed' | 'failed' | 'cancelled' | 'expired';

/** Ends a live batch; undefined when it had already ended. */
export async function endBatch(env: Env, id: string, status: Ending, error?: string): Promise<BatchRow | undefined> {
  const db = drizzle(env.DB);
  const [ended] = await db
    .update(batches)
    .set({ status, updatedAt: Date.now(), ...(error !== undefined ? { error } : {}) })
    .where(and(eq(batches.id, id), inArray(batches.status, ['queued', 'running'])))
    .returning();
  if (ended?.webhook)
    await emitEvent(env, db, ended.tenantId, ended.webhook, `batch.${status}` as WebhookEvent, { batch: await batchView(db, ended) });
  return ended;
}

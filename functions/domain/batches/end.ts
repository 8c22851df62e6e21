// How a batch ends, whichever way it ends: the one update that moves it out of a live
// state (validating, queued, running) wins, and only that one sends the webhook, so it
// is sent once.
import { and, eq, inArray } from 'drizzle-orm';
import { ApiError } from '../../../schemas/api/problems.ts';
import { batches } from '../../../schemas/db/schema.ts';
import { type BatchEnding, LIVE_BATCH_STATUSES } from '../../../schemas/vocabulary.ts';
import type { Db } from '../../infra/db.ts';
import { emitEvent } from '../webhooks/events.ts';
import { type BatchRow, batchView } from './find.ts';

/** Ends a live batch; undefined when it had already ended. */
export async function endBatch(env: Env, db: Db, id: string, status: BatchEnding, error?: string): Promise<BatchRow | undefined> {
  const [ended] = await db
    .update(batches)
    .set({ status, updatedAt: Date.now(), ...(error !== undefined ? { error } : {}) })
    .where(and(eq(batches.id, id), inArray(batches.status, LIVE_BATCH_STATUSES)))
    .returning();
  if (ended?.webhook) {
    await emitEvent(env, db, ended.tenantId, ended.webhook, `batch.${status}`, { batch: await batchView(db, ended) });
  }
  return ended;
}

/** Cancels a live batch: chunks not yet run are skipped; results so far stay readable. */
export async function cancelBatch(env: Env, db: Db, batch: BatchRow): Promise<BatchRow> {
  const row = await endBatch(env, db, batch.id, 'cancelled');
  if (!row) throw new ApiError('batch-ended', `batch "${batch.id}" is ${batch.status}`);
  return row;
}

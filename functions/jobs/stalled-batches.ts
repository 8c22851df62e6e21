// The stalled-batch sweep (cron): a live batch with no progress for STALL_MS lost its
// messages (a send failed, or an isolate died between a write and a send). Whatever it
// still needs is queued again: its input job, or the chunks that have no row yet; one
// whose chunks are all done is ended. Running a chunk or an input twice is harmless (each
// writes the same objects and is counted once), so a duplicate costs only time.
import { and, eq, inArray, lt } from 'drizzle-orm';
import { batchChunks, batches } from '../../schemas/db/schema.ts';
import { LIVE_BATCH_STATUSES } from '../../schemas/vocabulary.ts';
import { endBatch } from '../domain/batches/end.ts';
import { enqueue, enqueueAll } from '../domain/queue.ts';
import { dbOf } from '../infra/db.ts';

/** longer than a chunk or an input file can take, and than the queue's retries wait */
const STALL_MS = 15 * 60_000;
const PER_RUN = 50;

export async function sweepStalledBatches(env: Env, now: number): Promise<number> {
  const db = dbOf(env.DB);
  const quiet = await db
    .select()
    .from(batches)
    .where(and(inArray(batches.status, LIVE_BATCH_STATUSES), lt(batches.updatedAt, now - STALL_MS)))
    .limit(PER_RUN);
  let revived = 0;
  for (const batch of quiet) {
    const done = await db
      .select({ chunk: batchChunks.chunk, at: batchChunks.createdAt })
      .from(batchChunks)
      .where(eq(batchChunks.batchId, batch.id));
    if (done.some((d) => d.at > now - STALL_MS)) continue; // chunks are still finishing
    await db.update(batches).set({ updatedAt: now }).where(eq(batches.id, batch.id));
    if (now > batch.expiresAt) {
      await endBatch(env, db, batch.id, 'expired');
    } else if (batch.status === 'validating') {
      await enqueue(env, { kind: 'batch-input', id: batch.id });
    } else if (done.length === batch.chunks) {
      await endBatch(env, db, batch.id, 'completed');
    } else {
      const finished = new Set(done.map((d) => d.chunk));
      const missing = Array.from({ length: batch.chunks }, (_, n) => n).filter((n) => !finished.has(n));
      await enqueueAll(
        env,
        missing.map((chunk) => ({ kind: 'batch', id: batch.id, chunk })),
      );
    }
    revived++;
  }
  return revived;
}

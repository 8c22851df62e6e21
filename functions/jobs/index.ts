// The queue consumer: one job per message (a merge, or one chunk of a batch). A failed
// attempt is retried with backoff; the last allowed attempt marks the job failed.
import { drizzle } from 'drizzle-orm/d1';
import { and, eq, inArray } from 'drizzle-orm';
import { batches, merges } from '../../schemas/db/schema.ts';
import type { JobMessage } from '../merge-jobs.ts';
import { runBatchChunk } from './batch.ts';
import { runMerge } from './merge.ts';

export const MAX_ATTEMPTS = 5; // as max_retries in wrangler.toml

export async function handleJobs(batch: MessageBatch<JobMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const job = message.body;
    const what = job.kind === 'merge' ? `merge ${job.id}` : `batch ${job.id} chunk ${job.chunk}`;
    try {
      if (job.kind === 'merge') await runMerge(env, job.id);
      else await runBatchChunk(env, job.id, job.chunk);
      message.ack();
    } catch (e) {
      const error = (e as Error).message;
      const last = message.attempts >= MAX_ATTEMPTS;
      console.error(`${what} attempt ${message.attempts} failed${last ? ' for good' : ''}: ${error}`);
      const db = drizzle(env.DB);
      if (job.kind === 'merge') {
        await db.update(merges).set({ status: last ? 'failed' : 'queued', error, updatedAt: Date.now() }).where(eq(merges.id, job.id));
      } else if (last) {
        await db.update(batches).set({ status: 'failed', error: `chunk ${job.chunk}: ${error}`, updatedAt: Date.now() })
          .where(and(eq(batches.id, job.id), inArray(batches.status, ['queued', 'running'])));
      }
      if (last) message.ack();
      else message.retry({ delaySeconds: Math.min(60, 2 ** message.attempts) });
    }
  }
}

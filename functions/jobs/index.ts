// The queue consumer: one job per message (a merge, one chunk of a batch, or one webhook
// delivery). A failed merge or chunk is retried with backoff and the last allowed attempt
// marks it failed; webhooks schedule their own next attempt (they retry for 24 hours,
// past the queue's retry limit).

import { eq } from 'drizzle-orm';
import { merges } from '../../schemas/db/schema.ts';
import { endBatch } from '../domain/batches/end.ts';
import { enqueue, type JobMessage } from '../domain/queue.ts';
import { dbOf } from '../infra/db.ts';
import { runBatchChunk } from './batch.ts';
import { mergeEnded, runMerge } from './merge.ts';
import { deliverWebhook } from './webhook.ts';

export const MAX_ATTEMPTS = 5; // as max_retries in wrangler.toml

async function run(job: JobMessage, env: Env): Promise<void> {
  if (job.kind === 'merge') return runMerge(env, job.id);
  if (job.kind === 'batch') return runBatchChunk(env, job.id, job.chunk);
  const retryIn = await deliverWebhook(env, job.id);
  if (retryIn !== undefined) await enqueue(env, job, Math.max(1, Math.round(retryIn)));
}

export async function handleJobs(batch: MessageBatch<JobMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const job = message.body;
    const what = job.kind === 'batch' ? `batch ${job.id} chunk ${job.chunk}` : `${job.kind} ${job.id}`;
    try {
      await run(job, env);
      message.ack();
    } catch (e) {
      const error = (e as Error).message;
      const last = message.attempts >= MAX_ATTEMPTS;
      console.error(`${what} attempt ${message.attempts} failed${last ? ' for good' : ''}: ${error}`);
      const db = dbOf(env.DB);
      if (job.kind === 'merge') {
        await db
          .update(merges)
          .set({ status: last ? 'failed' : 'queued', error, updatedAt: Date.now() })
          .where(eq(merges.id, job.id));
        if (last) await mergeEnded(env, job.id);
      } else if (job.kind === 'batch' && last) {
        await endBatch(env, db, job.id, 'failed', `chunk ${job.chunk}: ${error}`);
      }
      if (last) message.ack();
      else message.retry({ delaySeconds: Math.min(60, 2 ** message.attempts) });
    }
  }
}

// The queue consumers. chimera-jobs carries one job per message (a merge, one chunk of a
// batch, reading a batch's input file, or one webhook attempt): a failed merge or chunk is
// retried with backoff and the last allowed attempt marks it failed; webhooks schedule
// their own next attempt (they retry for 24 hours, past the queue's retry limit).
// chimera-usage (and its dead-letter queue) carries usage events to D1 (./usage.ts).

import { eq } from 'drizzle-orm';
import { merges } from '../../schemas/db/schema.ts';
import { endBatch } from '../domain/batches/end.ts';
import { enqueue, type JobMessage } from '../domain/queue.ts';
import { dbOf } from '../infra/db.ts';
import { runBatchChunk } from './batch.ts';
import { readBatchInput } from './batch-input.ts';
import { mergeEnded, runMerge } from './merge.ts';
import { type UsageMessage, writeUsage } from './usage.ts';
import { deliverWebhook } from './webhook.ts';

export const MAX_ATTEMPTS = 5; // as max_retries in wrangler.toml
const USAGE_QUEUES = ['chimera-usage', 'chimera-usage-dead'];

async function run(job: JobMessage, env: Env): Promise<void> {
  if (job.kind === 'merge') return runMerge(env, job.id);
  if (job.kind === 'batch') return runBatchChunk(env, job.id, job.chunk);
  if (job.kind === 'batch-input') return readBatchInput(env, job.id);
  const retryIn = await deliverWebhook(env, job.id, job.attempt);
  if (retryIn === undefined) return;
  // if this send fails the delivery stays pending and due: the outbox sweep sends it
  await enqueue(env, { kind: 'webhook', id: job.id, attempt: job.attempt + 1 }, Math.max(1, Math.round(retryIn))).catch((e) =>
    console.error(`webhook ${job.id}: next attempt not queued (the outbox will send it):`, e),
  );
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
      } else if ((job.kind === 'batch' || job.kind === 'batch-input') && last) {
        await endBatch(env, db, job.id, 'failed', job.kind === 'batch' ? `chunk ${job.chunk}: ${error}` : `reading its input: ${error}`);
      }
      if (last) message.ack();
      else message.retry({ delaySeconds: Math.min(60, 2 ** message.attempts) });
    }
  }
}

/** Every queue this Worker consumes, by name. */
export function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  if (USAGE_QUEUES.includes(batch.queue)) return writeUsage(batch as MessageBatch<UsageMessage>, env);
  return handleJobs(batch as MessageBatch<JobMessage>, env);
}

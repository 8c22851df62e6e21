// The queue consumer: one job per message. A failed attempt is retried with backoff; the
// last allowed attempt marks the job failed with its error.
import { drizzle } from 'drizzle-orm/d1';
import { eq } from 'drizzle-orm';
import { merges } from '../../schemas/db/schema.ts';
import type { JobMessage } from '../merge-jobs.ts';
import { runMerge } from './merge.ts';

export const MAX_ATTEMPTS = 5; // as max_retries in wrangler.toml

export async function handleJobs(batch: MessageBatch<JobMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const { id } = message.body;
    try {
      await runMerge(env, id);
      message.ack();
    } catch (e) {
      const error = (e as Error).message;
      const last = message.attempts >= MAX_ATTEMPTS;
      console.error(`merge ${id} attempt ${message.attempts} failed${last ? ' for good' : ''}: ${error}`);
      await drizzle(env.DB).update(merges).set({ status: last ? 'failed' : 'queued', error, updatedAt: Date.now() }).where(eq(merges.id, id));
      if (last) message.ack();
      else message.retry({ delaySeconds: Math.min(60, 2 ** message.attempts) });
    }
  }
}

// The webhook a batch sends when it ends, whichever way it ends.
import { drizzle } from 'drizzle-orm/d1';
import { batchView, type BatchRow } from '../batches.ts';
import { emitEvent, type WebhookEvent } from '../webhooks.ts';

export async function batchEnded(env: Env, batch: BatchRow): Promise<void> {
  const db = drizzle(env.DB);
  await emitEvent(env, db, batch.tenantId, batch.webhook, `batch.${batch.status}` as WebhookEvent, { batch: await batchView(db, batch) });
}

// The usage consumer: writes a delivery of usage events (up to 10 messages of at most
// 100 events each, see wrangler.toml and domain/usage/record.ts) to D1 in one round
// trip, each row at most once (the unique event id: a redelivered message or a retried
// batch writes nothing twice). If D1 refuses, the whole batch is retried with growing
// delays, for hours, then goes to the dead-letter queue, whose consumer is this one too:
// a D1 outage delays usage and loses none. D1 has one writer per database; batching here
// is what lets usage scale past it.
import { usageEvents } from '../../schemas/db/schema.ts';
import { updateThrottles } from '../domain/limits.ts';
import type { UsageRow } from '../domain/usage/record.ts';
import { limits } from '../infra/config.ts';
import { dbOf } from '../infra/db.ts';

const ROWS_PER_STATEMENT = 6; // D1 binds at most 100 parameters per statement (16 columns a row)
const MAX_RETRY_DELAY_S = 300;

/** A message holds the events of one isolate's window; one event alone is how messages
 * were sent before they were packed, and may still be queued (or dead-lettered). */
export type UsageMessage = UsageRow[] | UsageRow;

export async function writeUsage(batch: MessageBatch<UsageMessage>, env: Env): Promise<void> {
  const rows = batch.messages.flatMap((m) => m.body);
  const db = dbOf(env.DB);
  const statements = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    statements.push(
      db
        .insert(usageEvents)
        .values(rows.slice(i, i + ROWS_PER_STATEMENT))
        .onConflictDoNothing({ target: usageEvents.eventId }),
    );
  }
  try {
    const [first, ...rest] = statements;
    if (first) await db.batch([first, ...rest]);
  } catch (e) {
    const attempts = Math.max(...batch.messages.map((m) => m.attempts));
    const delaySeconds = Math.min(MAX_RETRY_DELAY_S, limits(env).usageRetryBaseS * 2 ** (attempts - 1));
    console.error(`${rows.length} usage events not written (attempt ${attempts}, again in ${delaySeconds} s):`, (e as Error).message);
    batch.retryAll({ delaySeconds });
    return;
  }
  batch.ackAll();
  // the per-minute limits are judged on what was just written; a failure here costs only
  // a late verdict, never a usage row
  await updateThrottles(
    env,
    db,
    rows.map((r) => r.tenantId),
  ).catch((e: unknown) => console.error('throttles not updated:', e));
}

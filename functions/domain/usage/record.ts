// One usage row per authenticated request, failures included, written after the response
// so metering is never on the critical path. Rows from concurrent requests in an isolate
// are batched into one D1 round trip per flush window: on 2 cores a write per request
// cost the *next* requests 2-3 ms of contention. The caller hands the returned promise
// to waitUntil, so the runtime keeps the isolate alive until its row is stored.
import { usageEvents } from '../../../schemas/db/schema.ts';
import { dbOf } from '../../infra/db.ts';

export type UsageRow = typeof usageEvents.$inferInsert;

/** What a handler knows of a request's usage, filled in as it learns more. */
export interface UsageDraft {
  operation: string;
  model?: string;
  version?: number;
  tasks?: string[];
  items?: number;
  inputTokens?: number;
  backend?: string;
}

const FLUSH_MS = 100;
const ROWS_PER_STATEMENT = 6; // D1 binds at most 100 parameters per statement

// module scope: the rows of every request this isolate serves in the current window
let pending: UsageRow[] = [];
let flush: Promise<void> | undefined;

export function recordUsage(d1: D1Database, row: UsageRow): Promise<void> {
  pending.push(row);
  flush ??= new Promise((resolve) => setTimeout(resolve, FLUSH_MS))
    .then(async () => {
      const rows = pending;
      pending = [];
      flush = undefined;
      const db = dbOf(d1);
      const statements = [];
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        statements.push(db.insert(usageEvents).values(rows.slice(i, i + ROWS_PER_STATEMENT)));
      }
      const [first, ...rest] = statements;
      if (first) await db.batch([first, ...rest]);
    })
    .catch((e: unknown) => console.error('usage rows not written:', e));
  return flush;
}

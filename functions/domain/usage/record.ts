// One usage event per authenticated request, failures included, sent after the response
// so metering is never on the critical path. Events go to the chimera-usage queue, not
// to D1: the consumer (jobs/usage.ts) writes them in batches, idempotently by event id,
// and retries while D1 is down, so an outage delays usage and loses none.
//
// Events from concurrent requests in an isolate leave together once per 100 ms window,
// many to a message: Queues bills each message's write, read and delete (per 64 KB), so
// one message per event cost three operations a request, about four times the price of
// the Worker request itself, and held the whole service to one queue's 5,000 messages a
// second. The window's first request sends them: the caller hands the returned promise
// to waitUntil, so that request lives until they are sent. The others get a settled
// promise: workerd cancels a request whose waitUntil waits on another request's timer or
// I/O ("Promise will never complete"), which the soak saw about 50 times a second when
// every request waited.
import type { usageEvents } from '../../../schemas/db/schema.ts';

/** A usage row as the queue carries it: the event id is made once, when it happens. */
export type UsageRow = typeof usageEvents.$inferInsert & { eventId: string };

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
/** Queues bills a message per 64 KB (and takes at most 128 KB) */
const MESSAGE_BYTES = 64 * 1024;
/** bounds the consumer's work: 10 messages a delivery (wrangler.toml) are at most 1,000 rows */
export const ROWS_PER_MESSAGE = 100;
const MESSAGES_PER_SEND = 3; // sendBatch takes at most 256 KB in all
const MAX_ERROR_CHARS = 500; // keeps a message (and a row) small whatever the detail
const SEND_ATTEMPTS = 3;

// module scope: the events of every request this isolate serves in the current window
let pending: UsageRow[] = [];
let flush: Promise<void> | undefined;

const UTF8 = new TextEncoder();

/** The rows in order, in messages of at most ROWS_PER_MESSAGE rows and MESSAGE_BYTES of JSON. */
export function packRows(rows: UsageRow[]): UsageRow[][] {
  const packed: UsageRow[][] = [];
  let message: UsageRow[] = [];
  let bytes = 2; // the array's brackets
  for (const row of rows) {
    const size = UTF8.encode(JSON.stringify(row)).byteLength + 1; // and a comma
    if (message.length === ROWS_PER_MESSAGE || (message.length && bytes + size > MESSAGE_BYTES)) {
      packed.push(message);
      [message, bytes] = [[], 2];
    }
    message.push(row);
    bytes += size;
  }
  if (message.length) packed.push(message);
  return packed;
}

async function send(queue: Queue, rows: UsageRow[]): Promise<void> {
  const packed = packRows(rows);
  for (let i = 0; i < packed.length; i += MESSAGES_PER_SEND) {
    const messages = packed.slice(i, i + MESSAGES_PER_SEND).map((body) => ({ body, contentType: 'json' as const }));
    for (let attempt = 1; ; attempt++) {
      try {
        await queue.sendBatch(messages);
        break;
      } catch (e) {
        if (attempt === SEND_ATTEMPTS) throw e;
        await new Promise((r) => setTimeout(r, 50 * 4 ** attempt));
      }
    }
  }
}

/** Queues one request's usage event (given an event id here if it has none). */
export function recordUsage(env: Env, row: Omit<UsageRow, 'eventId'> & { eventId?: string }): Promise<void> {
  pending.push({
    ...row,
    eventId: row.eventId ?? `req:${crypto.randomUUID()}`,
    error: row.error ? row.error.slice(0, MAX_ERROR_CHARS) : row.error,
  });
  if (flush) return Promise.resolve(); // this window's first request sends it
  flush = new Promise((resolve) => setTimeout(resolve, FLUSH_MS))
    .then(() => {
      const rows = pending;
      pending = [];
      flush = undefined;
      return send(env.USAGE, rows);
    })
    .catch((e: unknown) => console.error('usage events not queued:', e));
  return flush;
}

// Usage events on their way to D1. The producer packs an isolate's events many to a
// message, within Queues' limits, losing and reordering none. The consumer on its own:
// 100 rows (17 statements, D1 binding at most 100 parameters each) arrive field for
// field as the queue carried them, packed or one to a message as before packing; a
// delivery made twice writes its rows once; what a row leaves out takes the defaults.
import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packRows, ROWS_PER_MESSAGE, recordUsage, type UsageRow } from '../../functions/domain/usage/record.ts';
import { type UsageMessage, writeUsage } from '../../functions/jobs/usage.ts';
import { usageEvents } from '../../schemas/db/schema.ts';
import { db } from './helpers.ts';

/** A queue delivery of these messages (the platform's MessageBatch shape), noting its verdict. */
function delivery(bodies: UsageMessage[]) {
  const verdict = { acked: false, retried: false };
  const batch = {
    queue: 'chimera-usage',
    messages: bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), body, attempts: 1, ack() {}, retry() {} })),
    ackAll: () => {
      verdict.acked = true;
    },
    retryAll: () => {
      verdict.retried = true;
    },
  } as unknown as MessageBatch<UsageMessage>;
  return { batch, verdict };
}

const row = (i: number): UsageRow => ({
  eventId: `req:writer-${i}`,
  requestId: `r-${i}`,
  tenantId: 'writer-tenant',
  keyId: i % 2 ? null : `key-${i}`,
  operation: 'infer',
  model: 'fixture-multitask',
  version: 3,
  tasks: ['sentiment', 'topic'],
  items: i,
  inputTokens: 10 * i,
  latencyMs: 1.25 + i,
  backend: i % 3 ? 'wasm' : null,
  status: i % 4 ? 200 : 422,
  error: i % 4 ? null : `"quoted", a \\ backslash and ünïcödé 🙂 in ${i}`,
  createdAt: 1_700_000_000_000 + i,
});

describe('writeUsage', () => {
  it('writes every field as sent, 100 rows in one go, and each row once however often it is delivered', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => row(i));
    // two packed messages and, as queued before packing, rows one to a message
    const bodies = [rows.slice(0, 40), ...rows.slice(40, 60), rows.slice(60)];
    for (let attempt = 0; attempt < 2; attempt++) {
      const { batch, verdict } = delivery(bodies);
      await writeUsage(batch, env);
      expect(verdict).toEqual({ acked: true, retried: false });
    }
    const stored = await db().select().from(usageEvents).where(eq(usageEvents.tenantId, 'writer-tenant')).orderBy(usageEvents.items);
    expect(stored).toHaveLength(100);
    expect(stored.map(({ id: _id, ...r }) => r)).toEqual(rows);
  });

  it('fills the defaults a row leaves out', async () => {
    const { eventId, requestId, operation, latencyMs, status } = row(1000);
    const before = Date.now();
    await writeUsage(delivery([{ eventId, requestId, tenantId: 'writer-defaults', operation, latencyMs, status }]).batch, env);
    const [stored] = await db().select().from(usageEvents).where(eq(usageEvents.tenantId, 'writer-defaults'));
    expect(stored).toMatchObject({ items: 0, inputTokens: 0, keyId: null, tasks: null, model: null });
    expect(stored!.createdAt).toBeGreaterThanOrEqual(before - 1000);
  });
});

/** a row as a request could make it: any text within the bounds the producer keeps */
const anyRow = fc.record({
  eventId: fc.uuid().map((u) => `req:${u}`),
  requestId: fc.string({ minLength: 1, maxLength: 255 }),
  tenantId: fc.string({ minLength: 1, maxLength: 40 }),
  operation: fc.constantFrom('infer', 'embed', 'batch'),
  model: fc.option(fc.string({ maxLength: 64 })),
  tasks: fc.option(fc.array(fc.string({ maxLength: 32 }), { maxLength: 16 })),
  latencyMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
  status: fc.integer({ min: 200, max: 599 }),
  error: fc.option(fc.string({ unit: 'grapheme', maxLength: 500 })),
});

describe('packRows', () => {
  it('keeps every row in order, in messages of at most 100 rows and 64 KB', () => {
    fc.assert(
      fc.property(fc.array(anyRow, { maxLength: 400 }), (rows) => {
        const packed = packRows(rows);
        expect(packed.flat()).toEqual(rows);
        for (const message of packed) {
          expect(message.length).toBeGreaterThan(0);
          expect(message.length).toBeLessThanOrEqual(ROWS_PER_MESSAGE);
          expect(new TextEncoder().encode(JSON.stringify(message)).byteLength).toBeLessThanOrEqual(64 * 1024);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('sends a window of 250 requests as 3 messages in one sendBatch, not 250', async () => {
    const sent: { body: UsageRow[] }[][] = [];
    const queue = { sendBatch: async (messages: { body: UsageRow[] }[]) => void sent.push(messages) } as unknown as Queue;
    const flushes = Array.from({ length: 250 }, (_, i) => recordUsage({ ...env, USAGE: queue }, { ...row(i), eventId: undefined }));
    await Promise.all(flushes);
    expect(sent.map((batch) => batch.map((m) => m.body.length))).toEqual([[100, 100, 50]]);
    expect(sent[0]!.flatMap((m) => m.body).map((r) => r.items)).toEqual(Array.from({ length: 250 }, (_, i) => i));
  });
});

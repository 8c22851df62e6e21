// The usage consumer on its own: a full batch of 100 rows (17 statements, D1 binding at
// most 100 parameters each) arrives field for field as the queue carried it, a batch
// delivered twice writes its rows once, and what a row leaves out takes the defaults.
import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { UsageRow } from '../../functions/domain/usage/record.ts';
import { writeUsage } from '../../functions/jobs/usage.ts';
import { usageEvents } from '../../schemas/db/schema.ts';
import { db } from './helpers.ts';

/** A queue delivery of these rows (the platform's MessageBatch shape), noting its verdict. */
function delivery(rows: UsageRow[]) {
  const verdict = { acked: false, retried: false };
  const batch = {
    queue: 'chimera-usage',
    messages: rows.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), body, attempts: 1, ack() {}, retry() {} })),
    ackAll: () => {
      verdict.acked = true;
    },
    retryAll: () => {
      verdict.retried = true;
    },
  } as unknown as MessageBatch<UsageRow>;
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
    for (let attempt = 0; attempt < 2; attempt++) {
      const { batch, verdict } = delivery(rows);
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

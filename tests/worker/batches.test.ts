// Batch jobs through the queue: every input answered exactly once in input order, bad
// lines reported per line, a failing chunk retried, expiry at the deadline, cancel,
// idempotent create.
import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { publishPackage } from '../../functions/domain/versions.ts';
import { fixturePackage } from '../../models/multitask/fixture.ts';
import type { ModelPackage } from '../../models/package.ts';
import { blobKey } from '../../models/store.ts';
import { batches } from '../../schemas/db/schema.ts';
import { call, db, eventually, expectProblem, receivedHooks, receiver, type Seeded, seed } from './helpers.ts';

let s: Seeded;
let key: string;
let flaky: ModelPackage;
beforeAll(async () => {
  s = await seed();
  key = (await issueKey(db(), s.tenantId, ['infer', 'batches'])).key;
  flaky = await fixturePackage({ name: 'flaky', seed: 77, shape: { vocab: 512, dim: 8, hidden: [8] } });
  await publishPackage(db(), env.MODELS, flaky, { owner: s.tenantId, model: 'flaky', alias: 'prod' });
});

type Batch = { id: string; status: string; counts: { total: number; completed: number; failed: number; invalid: number } };
const get = async (id: string) => (await (await call(`/v1/batches/${id}`, { key })).json()) as Batch;
const until = (id: string, statuses: string[], ms = 60_000) =>
  eventually(async () => {
    const b = await get(id);
    return statuses.includes(b.status) ? b : undefined;
  }, ms);
const jsonl = async (res: Response) =>
  (await res.text())
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { custom_id: string; line: number; results: { sentiment: { label: string } }; error?: string });
const upload = async (text: string) =>
  (await (await call('/v1/files', { key, raw: text, headers: { 'content-type': 'application/x-ndjson' } })).json()) as {
    id: string;
    lines: number;
  };

describe('batches', () => {
  it('answers several thousand inputs exactly once each, in input order, and reports bad lines', async () => {
    const good = Array.from({ length: 3000 }, (_, i) =>
      JSON.stringify({ custom_id: `q-${i}`, input: `sentence number ${i} about ${i % 7 ? 'films' : 'sports'}` }),
    );
    good.splice(10, 0, '{not json');
    good.splice(500, 0, JSON.stringify({ custom_id: 'no-input' }));
    good.splice(2000, 0, JSON.stringify({ custom_id: 'long', input: 'x'.repeat(5000) }));
    const file = await upload(`${good.join('\n')}\n`);
    expect(file.lines).toBe(3003);
    const created = await call('/v1/batches', { key, body: { model: 'fixture-multitask', tasks: ['sentiment'], input_file: file.id } });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as Batch;
    const done = await until(id, ['completed']);
    expect(done.counts).toEqual({ total: 3000, completed: 3000, failed: 0, invalid: 3 });
    const lines = await jsonl(await call(`/v1/batches/${id}/results`, { key }));
    expect(lines.map((l) => l.custom_id)).toEqual(Array.from({ length: 3000 }, (_, i) => `q-${i}`));
    expect(lines[0]!.results.sentiment.label).toMatch(/negative|positive/);
    const errors = await jsonl(await call(`/v1/batches/${id}/errors`, { key }));
    expect(errors.map((e) => e.line)).toEqual([11, 501, 2001]);
    expect(errors.map((e) => e.error)).toEqual(['not valid JSON', '"input" must be a string', '"input" is longer than 4000 characters']);
  }, 120_000);

  it('retries a chunk that fails (storage lost a blob) and still answers each input once', async () => {
    const data = flaky.manifest.files.find((f) => f.role === 'external-data')!;
    await env.MODELS.delete(blobKey(data.sha256));
    const { id } = (await (
      await call('/v1/batches', {
        key,
        body: { model: 'flaky', inputs: Array.from({ length: 600 }, (_, i) => ({ custom_id: `f${i}`, input: `text ${i}` })) },
      })
    ).json()) as Batch;
    await new Promise((r) => setTimeout(r, 1500));
    expect((await get(id)).counts.completed).toBe(0);
    await env.MODELS.put(blobKey(data.sha256), flaky.files[data.path]!);
    const done = await until(id, ['completed']);
    expect(done.counts).toMatchObject({ total: 600, completed: 600, failed: 0 });
    const lines = await jsonl(await call(`/v1/batches/${id}/results`, { key }));
    expect(lines.map((l) => l.custom_id)).toEqual(Array.from({ length: 600 }, (_, i) => `f${i}`));
  }, 120_000);

  it('expires at its deadline: chunks not yet run are skipped and batch.expired is sent', async () => {
    // a model whose weights storage lost, so no chunk can finish before the deadline moves
    const stuck = await fixturePackage({ name: 'stuck', seed: 78, shape: { vocab: 512, dim: 8, hidden: [8] } });
    await publishPackage(db(), env.MODELS, stuck, { owner: s.tenantId, model: 'stuck', alias: 'prod' });
    await env.MODELS.delete(blobKey(stuck.manifest.files.find((f) => f.role === 'external-data')!.sha256));
    const url = `${receiver}/hook?case=expiry`;
    const { id } = (await (
      await call('/v1/batches', { key, body: { model: 'stuck', inputs: ['a', 'b', 'c'], webhook: { url } } })
    ).json()) as Batch;
    await new Promise((r) => setTimeout(r, 1500));
    await db()
      .update(batches)
      .set({ expiresAt: Date.now() - 1 })
      .where(eq(batches.id, id));
    const expired = await until(id, ['expired'], 30_000);
    expect(expired.counts).toMatchObject({ total: 3, completed: 0 });
    const hook = await eventually(async () => (await receivedHooks()).find((r) => r.path === '/hook?case=expiry'), 15_000);
    expect(JSON.parse(hook.body)).toMatchObject({ type: 'batch.expired', data: { batch: { id, status: 'expired' } } });
  }, 60_000);

  it('cancels mid-run: no chunk runs after, finished results stay readable', async () => {
    const inputs = Array.from({ length: 1000 }, (_, i) => `input ${i}`);
    const { id } = (await (await call('/v1/batches', { key, body: { model: 'fixture-multitask', inputs } })).json()) as Batch;
    await expectProblem(await call(`/v1/batches/${id}/results`, { key }), 409, /results come when it ends/);
    const cancelled = await call(`/v1/batches/${id}/cancel`, { key, method: 'POST' });
    expect(((await cancelled.json()) as Batch).status).toBe('cancelled');
    const at = (await get(id)).counts.completed;
    await new Promise((r) => setTimeout(r, 1500));
    const after = await get(id);
    expect(after.status).toBe('cancelled');
    expect(after.counts.completed).toBeLessThanOrEqual(at + 256); // at most the chunk already running
    const lines = await jsonl(await call(`/v1/batches/${id}/results`, { key }));
    expect(lines).toHaveLength(after.counts.completed);
    expect(new Set(lines.map((l) => l.custom_id)).size).toBe(lines.length);
    await expectProblem(await call(`/v1/batches/${id}/cancel`, { key, method: 'POST' }), 409, /is cancelled/);
  }, 60_000);

  it('returns the same batch for a retried create with one Idempotency-Key, and checks input', async () => {
    const body = { model: 'fixture-multitask', inputs: ['a', 'b'] };
    const first = (await (await call('/v1/batches', { key, body, headers: { 'idempotency-key': 'k-1' } })).json()) as Batch;
    const again = (await (await call('/v1/batches', { key, body, headers: { 'idempotency-key': 'k-1' } })).json()) as Batch;
    expect(again.id).toBe(first.id);
    const list = (await (await call('/v1/batches', { key })).json()) as { batches: Batch[] };
    expect(list.batches.filter((b) => b.id === first.id)).toHaveLength(1);
    await expectProblem(await call('/v1/batches', { key, body: { model: 'fixture-multitask' } }), 422, /inputs or input_file/);
    await expectProblem(
      await call('/v1/batches', { key, body: { model: 'fixture-multitask', input_file: 'nope' } }),
      404,
      /no file "nope"/,
    );
    await expectProblem(
      await call('/v1/batches', { key, body: { model: 'fixture-multitask', inputs: ['x'], tasks: ['bogus'] } }),
      404,
      /no task bogus/,
    );
    await expectProblem(await call(`/v1/batches/${first.id}`, { key: s.otherKey }), 403, /"batches" scope/);
  });
});

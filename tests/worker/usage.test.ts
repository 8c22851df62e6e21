// Usage reports, aggregated in D1, per tenant and (for the admin) across tenants.
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { usageEvents } from '../../schemas/db/schema.ts';
import { call, db, eventually, expectProblem, type Seeded, seed } from './helpers.ts';

let s: Seeded;
let reader: string;
beforeAll(async () => {
  s = await seed();
  reader = (await issueKey(db(), s.tenantId, ['usage:read'])).key;
  const infer = (key: string, body: unknown) => call('/v1/models/fixture-multitask/infer', { key, body });
  await infer(s.key, { inputs: ['a b', 'c'], tasks: ['sentiment'] });
  await infer(s.key, { inputs: ['d'], tasks: ['sentiment', 'topic'] });
  await infer(s.key, { inputs: ['e'], tasks: ['nope'] });
  await infer(s.otherKey, { inputs: ['f'] });
  await eventually(async () => ((await db().select().from(usageEvents)).length >= 4 ? true : undefined));
});

type Report = { group_by: string; rows: { key: string; requests: number; errors: number; items: number; input_tokens: number }[] };
const report = async (query: string, key = reader) => (await (await call(`/v1/usage${query}`, { key })).json()) as Report;

describe('GET /v1/usage', () => {
  it("sums the caller tenant's requests, items, tokens and errors by model", async () => {
    const r = await report('?group_by=model');
    expect(r.rows).toEqual([
      {
        key: 'fixture-multitask',
        requests: 3,
        errors: 1,
        items: 4,
        input_tokens: 4 + 1,
        mean_latency_ms: expect.any(Number),
        p50_latency_ms: expect.any(Number),
        p99_latency_ms: expect.any(Number),
      },
    ]);
  });
  it('groups by task, version and day', async () => {
    const byTask = await report('?group_by=task');
    expect(byTask.rows.map((r) => [r.key, r.requests])).toEqual([
      ['nope', 1],
      ['sentiment', 2],
      ['topic', 1],
    ]);
    expect((await report('?group_by=version')).rows.map((r) => r.key)).toEqual(['fixture-multitask@1']);
    const today = new Date().toISOString().slice(0, 10);
    expect((await report('?group_by=day')).rows).toMatchObject([{ key: today, requests: 3 }]);
    expect((await report(`?group_by=day&from=${today}T00:00:00Z&to=2000-01-01`)).rows).toEqual([]);
  });
  it('needs usage:read and a valid query', async () => {
    await expectProblem(await call('/v1/usage', { key: s.key }), 403, /usage:read/);
    await expectProblem(await call('/v1/usage?group_by=color', { key: reader }), 422, /group_by/);
    await expectProblem(await call('/v1/usage?from=yesterday', { key: reader }), 422, /from/);
  });
  it('shows the admin every tenant', async () => {
    const res = await call('/v1/admin/usage?group_by=tenant', { headers: { authorization: 'Bearer test-admin-token' } });
    const body = (await res.json()) as Report;
    expect(body.rows.map((r) => r.requests).sort()).toEqual([1, 3]);
  });
});

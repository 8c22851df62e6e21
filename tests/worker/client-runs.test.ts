// Runs made in the browser, reported by the client: recorded once each, shown apart from
// metered usage (GET /v1/usage?source=client), never counted by the per-minute limits.
// Also the latency percentiles of usage reports and the merge list the console reads.
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { usageEvents } from '../../schemas/db/schema.ts';
import { call, db, eventually, expectProblem, type Seeded, seed } from './helpers.ts';

let s: Seeded;
let reader: string;
type Row = { key: string; requests: number; items: number; input_tokens: number; p50_latency_ms: number; p99_latency_ms: number };
const report = async (query: string) =>
  (await (await call(`/v1/usage${query}`, { key: reader })).json()) as { source: string; rows: Row[] };

const run = (id: string, latency: number) => ({
  id,
  model: 'fixture-multitask',
  version: 1,
  tasks: ['sentiment'],
  items: 2,
  input_tokens: 7,
  latency_ms: latency,
  backend: 'webgpu',
});

beforeAll(async () => {
  s = await seed();
  reader = (await issueKey(db(), s.tenantId, ['usage:read'])).key;
  for (const text of ['a', 'b c', 'd e f']) await call('/v1/models/fixture-multitask/infer', { key: s.key, body: { inputs: [text] } });
});

describe('POST /v1/usage/client-runs', () => {
  it('records each run once under client.infer, shown only with source=client', async () => {
    const runs = [run('run-00000001', 3), run('run-00000002', 5), run('run-00000003', 100)];
    const res = await call('/v1/usage/client-runs', { key: s.key, body: { runs } });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 3 });
    // sent again (a retry): recorded once
    expect((await call('/v1/usage/client-runs', { key: s.key, body: { runs: runs.slice(0, 1) } })).status).toBe(202);
    await eventually(async () =>
      (await db().select().from(usageEvents)).filter((e) => e.operation === 'client.infer').length >= 3 ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 300)); // let a duplicate, were there one, arrive too

    const client = await report('?source=client&group_by=operation');
    expect(client.source).toBe('client');
    expect(client.rows).toEqual([
      expect.objectContaining({ key: 'client.infer', requests: 3, items: 6, input_tokens: 21, p50_latency_ms: 5, p99_latency_ms: 100 }),
    ]);
    const metered = await report('?group_by=operation');
    expect(metered.source).toBe('metered');
    expect(metered.rows.map((r) => r.key)).not.toContain('client.infer');
    expect(metered.rows.find((r) => r.key === 'infer')?.requests).toBe(3);
  });

  it('refuses runs of models or versions the tenant cannot see, and malformed runs', async () => {
    await expectProblem(
      await call('/v1/usage/client-runs', { key: s.key, body: { runs: [{ ...run('run-x0000001', 1), model: 'nope' }] } }),
      404,
      /nope/,
    );
    await expectProblem(
      await call('/v1/usage/client-runs', { key: s.key, body: { runs: [{ ...run('run-x0000002', 1), version: 42 }] } }),
      404,
      /no version 42/,
    );
    await expectProblem(
      await call('/v1/usage/client-runs', { key: s.key, body: { runs: [{ ...run('x', 1), backend: 'cuda' }] } }),
      422,
      /runs\.0\.id.*runs\.0\.backend/,
    );
  });
});

describe('GET /v1/merges', () => {
  it("lists the tenant's merge jobs (none yet)", async () => {
    expect(await (await call('/v1/merges', { key: s.key })).json()).toEqual({ merges: [] });
  });
});

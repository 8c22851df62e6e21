// Merges as a service: queued, run by the Worker's queue consumer over R2 range reads,
// ending in a version that serves and a merge.completed hook; a failed attempt leaves
// nothing and a retry succeeds.
import { env } from 'cloudflare:test';
import { desc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { ensureTenant } from '../../functions/domain/tenants.ts';
import { publishPackage } from '../../functions/domain/versions.ts';
import { fixturePackage } from '../../models/multitask/fixture.ts';
import type { ModelPackage } from '../../models/package.ts';
import { blobKey } from '../../models/store.ts';
import type { InferResponse } from '../../schemas/api/infer.ts';
import { models, modelVersions } from '../../schemas/db/schema.ts';
import { call, db, eventually, expectProblem, receivedHooks, receiver, type Seeded, seed } from './helpers.ts';

let s: Seeded;
let writer: string;
let rival: string;
const shape = { vocab: 2048, dim: 16, hidden: [32] };
const expertOf = (pkg: ModelPackage, task: string): ModelPackage => ({ ...pkg, manifest: { ...pkg.manifest, recipe: { expertOf: task } } });
let flaky: ModelPackage;

beforeAll(async () => {
  s = await seed();
  writer = (await issueKey(db(), s.tenantId, ['infer', 'models:write'])).key;
  rival = (await issueKey(db(), await ensureTenant(db(), 'rival'), ['infer', 'models:write'])).key;
  flaky = expertOf(await fixturePackage({ name: 'blend', seed: 44, int8: false, shape }), 'subjectivity');
  const packages = [
    await fixturePackage({ name: 'blend', seed: 41, int8: false, shape }),
    expertOf(await fixturePackage({ name: 'blend', seed: 42, int8: false, shape }), 'sentiment'),
    expertOf(await fixturePackage({ name: 'blend', seed: 43, int8: false, shape }), 'topic'),
    flaky,
  ];
  for (const pkg of packages) await publishPackage(db(), env.MODELS, pkg, { owner: s.tenantId, model: 'blend' });
});

type Job = { id: string; status: string; progress: number; attempts: number; error: string | null; version: number | null };
const job = async (id: string, key = writer) => (await (await call(`/v1/merges/${id}`, { key })).json()) as Job;
const until = (id: string, status: string, ms = 30_000) =>
  eventually(async () => {
    const j = await job(id);
    return j.status === status ? j : undefined;
  }, ms);
const versions = async () =>
  (
    await db()
      .select({ n: modelVersions.number })
      .from(modelVersions)
      .innerJoin(models, eq(models.id, modelVersions.modelId))
      .where(eq(models.name, 'blend'))
      .orderBy(desc(modelVersions.number))
  ).map((r) => r.n);

describe('POST /v1/merges', () => {
  it('runs a TIES merge through the queue into a new int8 version that serves', async () => {
    const webhook = { url: `${receiver}/hook?case=merge` };
    const res = await call('/v1/merges', {
      key: writer,
      body: {
        model: 'blend',
        base: 1,
        experts: [{ version: 2 }, { version: 3 }],
        method: 'ties',
        parameters: { density: 0.5, lambda: 1 },
        quantize: true,
        alias: 'prod',
        webhook,
      },
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as Job;
    const done = await until(id, 'succeeded');
    expect(done).toMatchObject({ progress: 1, version: 5, error: null, attempts: 1 });
    const detail = (await (await call('/v1/models/blend', { key: s.key })).json()) as {
      versions: { version: number; quantization: string }[];
      manifest: { recipe: { base: { sha256: string } } };
    };
    expect(detail.versions[0]).toMatchObject({ version: 5, quantization: 'int8' });
    expect(detail.manifest.recipe).toMatchObject({
      merge_id: id,
      method: 'ties',
      base: { version: 1 },
      experts: [{ version: 2 }, { version: 3 }],
    });
    expect(detail.manifest.recipe.base.sha256).toMatch(/^[0-9a-f]{64}$/);
    const served = (await (await call('/v1/models/blend/infer', { key: s.key, body: { inputs: ['a fine day'] } })).json()) as InferResponse;
    expect(served.version).toBe(5);
    expect(Object.keys(served.results[0]!)).toEqual(['sentiment', 'subjectivity', 'topic']);
    await expectProblem(await call(`/v1/merges/${id}`, { key: rival }), 404, /no merge/);
    const hook = await eventually(async () => (await receivedHooks()).find((r) => r.path === '/hook?case=merge'), 15_000);
    expect(JSON.parse(hook.body)).toMatchObject({ type: 'merge.completed', data: { merge: { id, status: 'succeeded', version: 5 } } });
  });

  it('leaves no version when an attempt fails mid-merge, and succeeds on retry', async () => {
    const data = flaky.manifest.files.find((f) => f.role === 'external-data')!;
    await env.MODELS.delete(blobKey(data.sha256)); // storage loses a blob the merge needs
    const before = await versions();
    const res = await call('/v1/merges', {
      key: writer,
      body: {
        model: 'blend',
        base: 1,
        experts: [{ version: 2 }, { version: 4, weight: 2 }],
        method: 'dare_linear',
        parameters: { density: 0.5, seed: 7 },
      },
    });
    const { id } = (await res.json()) as Job;
    const failed = await eventually(async () => {
      const j = await job(id);
      return j.attempts >= 1 && j.status === 'queued' && j.error ? j : undefined;
    });
    expect(failed.error).toMatch(/missing from storage/);
    expect(await versions()).toEqual(before);
    const staged = await env.MODELS.list({ prefix: `staging/merges/${id}` });
    expect(staged.objects).toEqual([]);
    await env.MODELS.put(blobKey(data.sha256), flaky.files[data.path]!); // ...and gets it back
    const done = await until(id, 'succeeded');
    expect(done.attempts).toBe(2);
    expect(await versions()).toEqual([done.version, ...before]);
  }, 60_000);

  it('refuses what it cannot do, clearly', async () => {
    await expectProblem(
      await call('/v1/merges', { key: writer, body: { model: 'blend', experts: [{ version: 2 }], method: 'ties' } }),
      422,
      /needs a base version/,
    );
    await expectProblem(
      await call('/v1/merges', { key: writer, body: { model: 'blend', base: 1, experts: [{ version: 99 }], method: 'ties' } }),
      404,
      /no version 99/,
    );
    await expectProblem(
      await call('/v1/merges', { key: writer, body: { model: 'fixture-multitask', base: 1, experts: [{ version: 1 }], method: 'ties' } }),
      403,
      /public model/,
    );
    await expectProblem(
      await call('/v1/merges', { key: rival, body: { model: 'blend', base: 1, experts: [{ version: 2 }], method: 'ties' } }),
      404,
      /no model named "blend"/,
    );
    await expectProblem(
      await call('/v1/merges', { key: writer, body: { model: 'blend', base: 1, experts: [{ version: 2 }], method: 'magic' } }),
      422,
      /method/,
    );
  });
});

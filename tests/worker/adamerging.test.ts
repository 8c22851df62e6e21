// AdaMerging as a service: POST /v1/merges with method adamerging and a file of unlabelled
// texts from POST /v1/files runs through the queue in workerd into a version whose recipe
// records the coefficients it learned (and the experts' training data hashes).
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { publishPackage } from '../../functions/domain/versions.ts';
import { fixturePackage } from '../../models/multitask/fixture.ts';
import type { ModelPackage } from '../../models/package.ts';
import type { InferResponse } from '../../schemas/api/infer.ts';
import { call, db, eventually, expectProblem, type Seeded, seed } from './helpers.ts';

let s: Seeded;
let writer: string;
const shape = { vocab: 1024, dim: 8, hidden: [16] };
const data = (path: string) => ({ path, sha256: 'a'.repeat(64), rows: 10 });
const withRecipe = (pkg: ModelPackage, recipe: Record<string, unknown>): ModelPackage => ({
  ...pkg,
  manifest: { ...pkg.manifest, recipe },
});

beforeAll(async () => {
  s = await seed();
  writer = (await issueKey(db(), s.tenantId, ['infer', 'models:write', 'batches'])).key;
  const packages = [
    withRecipe(await fixturePackage({ name: 'ada', seed: 61, int8: false, shape }), { data: [data('A/train.tsv')] }),
    withRecipe(await fixturePackage({ name: 'ada', seed: 62, int8: false, shape }), { expertOf: 'sentiment', data: [data('A/train.tsv')] }),
    withRecipe(await fixturePackage({ name: 'ada', seed: 63, int8: false, shape }), { expertOf: 'topic', data: [data('B/train.tsv')] }),
  ];
  for (const pkg of packages) await publishPackage(db(), env.MODELS, pkg, { owner: s.tenantId, model: 'ada' });
});

interface Recipe {
  method: string;
  parameters: object;
  adamerging: {
    coefficients: Record<string, number[]>;
    objective: { initial: number; final: number; evaluations: number };
    unlabelled: object;
  };
  data: { path: string }[];
}
type Job = { id: string; status: string; version: number | null; error: string | null };
const lines = ['a fine film', 'the plot is a mess', 'markets fell today', 'a late goal won it', 'rain again today'].map((input, i) =>
  JSON.stringify(i === 4 ? { custom_id: 'x', input } : { input, task: i % 2 ? 'topic' : 'sentiment' }),
);

describe('POST /v1/merges with adamerging', () => {
  it('learns its coefficients from an uploaded file through the queue and records them', async () => {
    const file = (await (
      await call('/v1/files', { key: writer, raw: `${lines.join('\n')}\n`, headers: { 'content-type': 'application/x-ndjson' } })
    ).json()) as { id: string };
    const res = await call('/v1/merges', {
      key: writer,
      body: {
        model: 'ada',
        base: 1,
        experts: [{ version: 2 }, { version: 3 }],
        method: 'adamerging',
        unlabelled_file: file.id,
        parameters: { budget: 60 },
      },
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as Job;
    const done = await eventually(async () => {
      const j = (await (await call(`/v1/merges/${id}`, { key: writer })).json()) as Job;
      return j.status === 'succeeded' || j.status === 'failed' ? j : undefined;
    }, 30_000);
    expect(done).toMatchObject({ status: 'succeeded', version: 4, error: null });
    const detail = (await (await call('/v1/models/ada', { key: writer })).json()) as {
      manifest: { recipe: Recipe };
    };
    const recipe = detail.manifest.recipe;
    expect(recipe).toMatchObject({ method: 'adamerging', parameters: { budget: 60 } });
    // one group per layer; subjectivity has no expert, so its head is merged too
    expect(Object.keys(recipe.adamerging.coefficients)).toEqual(['embedding', 'layer0', 'head.subjectivity']);
    for (const c of Object.values(recipe.adamerging.coefficients)) {
      expect(c).toHaveLength(2);
      for (const x of c) expect(x >= 0 && x <= 1).toBe(true);
    }
    expect(recipe.adamerging.objective.final).toBeLessThanOrEqual(recipe.adamerging.objective.initial);
    expect(recipe.adamerging.objective.evaluations).toBeLessThanOrEqual(60);
    expect(recipe.adamerging.unlabelled).toEqual({ texts: 5, file: file.id });
    expect(recipe.data.map((d) => d.path)).toEqual(['A/train.tsv', 'B/train.tsv']);
    const served = (await (
      await call('/v1/models/ada/infer', { key: writer, body: { inputs: ['a fine day'], version: 4 } })
    ).json()) as InferResponse;
    expect(served.version).toBe(4);
  });

  it('is refused without unlabelled texts, and with expert weights', async () => {
    const body = { model: 'ada', base: 1, experts: [{ version: 2 }], method: 'adamerging' };
    await expectProblem(await call('/v1/merges', { key: writer, body }), 422, /unlabelled_file/);
    await expectProblem(
      await call('/v1/merges', { key: writer, body: { ...body, unlabelled_file: 'f', experts: [{ version: 2, weight: 2 }] } }),
      422,
      /weight/,
    );
  });
});

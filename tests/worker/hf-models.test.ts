// Hugging Face exports served for real: each fixture (made by the real exporter, see
// tools/fixtures/hf.py), imported by `chimera import`'s code, uploaded through the public
// API (versions → files → commit) and asked through /infer, one input at a time and as a
// padded batch, must give what onnxruntime and tokenizers gave in Python, within 1e-4.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import type { InferResponse } from '../../schemas/api/infer.ts';
import { call, db, eventually, expectProblem, type Seeded, seed } from './helpers.ts';
import { type HfCase, type HfPackage, MERGE_FAMILY, SERVED_FIXTURES } from './hf-packages.ts';

const packages = inject('hfPackages');
let s: Seeded;
let writer: string;

const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

async function upload(name: string, pkg: HfPackage): Promise<void> {
  const res = await call(`/v1/models/${name}/versions`, { key: writer, body: { manifest: { ...pkg.manifest, name }, alias: 'prod' } });
  expect(res.status, await res.clone().text()).toBe(201);
  const up = (await res.json()) as { files: { path: string; upload_url: string }[]; commit_url: string };
  for (const f of up.files) {
    const put = await call(f.upload_url, { key: writer, method: 'PUT', raw: bytes(pkg.files[f.path]!) as unknown as string });
    expect(put.status).toBe(200);
  }
  const committed = await call(up.commit_url, { key: writer, method: 'POST' });
  expect(committed.status, await committed.clone().text()).toBe(201);
}

const input = (c: HfCase) => (c.text_pair === undefined ? c.text : { text: c.text, text_pair: c.text_pair });
const infer = async (name: string, inputs: unknown[]) => {
  const res = await call(`/v1/models/${name}/infer`, { key: s.key, body: { inputs } });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as InferResponse;
};

/** The numbers to compare: class probabilities in label order, or the embedding. */
function numbers(result: InferResponse['results'][number], pkg: HfPackage): number[] {
  const answer = Object.values(result)[0]!;
  if ('values' in answer) return answer.values;
  return (pkg.expected.labels ?? []).map((l) => answer.scores[l]!);
}
const want = (pkg: HfPackage, c: HfCase) => (pkg.expected.kind === 'embedding' ? c.mean_pooled : c.scores)!;

function close(got: number[], expected: number[], what: string) {
  expect(got.length, what).toBe(expected.length);
  for (const [i, x] of got.entries()) expect(Math.abs(x - expected[i]!), `${what}[${i}]: ${x} vs ${expected[i]}`).toBeLessThan(1e-4);
}

beforeAll(async () => {
  s = await seed();
  writer = (await issueKey(db(), s.tenantId, ['infer', 'models:write'])).key;
  for (const name of SERVED_FIXTURES) await upload(name, packages[name]!);
  for (const name of Object.keys(MERGE_FAMILY)) await upload('family', packages[name]!); // versions 1, 2, 3
});

describe.each(SERVED_FIXTURES)('%s, imported and uploaded', (name) => {
  const pkg = packages[name]!;
  it('answers each input alone as onnxruntime did in Python, with the tokenizer’s token count', async () => {
    for (const c of pkg.expected.cases) {
      const out = await infer(name, [input(c)]);
      close(numbers(out.results[0]!, pkg), want(pkg, c), `${name} ${c.id}`);
      expect(out.usage.input_tokens, `${name} ${c.id} tokens`).toBe(c.input_ids.length);
    }
  });
  it('answers the same inputs as one padded batch', async () => {
    const out = await infer(name, pkg.expected.cases.map(input));
    for (const [i, c] of pkg.expected.cases.entries()) close(numbers(out.results[i]!, pkg), want(pkg, c), `${name} batch ${c.id}`);
  });
});

describe('fine-tunes of one base, merged through the queue', () => {
  it('become one version with a task per expert, each with its own labels', async () => {
    const res = await call('/v1/merges', {
      key: writer,
      body: { model: 'family', method: 'ties', base: 1, experts: [{ version: 2 }, { version: 3 }], parameters: { density: 0.5 } },
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const job = await eventually(async () => {
      const j = (await (await call(`/v1/merges/${id}`, { key: writer })).json()) as {
        status: string;
        version: number | null;
        error: string | null;
      };
      return j.status === 'succeeded' || j.status === 'failed' ? j : undefined;
    }, 20_000);
    expect(job).toMatchObject({ status: 'succeeded', version: 4 });
    const out = await call('/v1/models/family/infer', { key: s.key, body: { inputs: ['a gripping film'], version: 4 } });
    const { results } = (await out.json()) as InferResponse;
    expect(Object.keys(results[0]!).sort()).toEqual(['corpus', 'sst2']);
    expect(Object.keys((results[0]!.sst2 as { scores: object }).scores)).toEqual(['negative', 'positive']);
    expect(Object.keys((results[0]!.corpus as { scores: object }).scores)).toEqual(['cr', 'mpqa', 'subj']);
  });
});

describe('what these models refuse', () => {
  it('a pair sent to a model whose tokenizer has no pair template', async () => {
    // the demo-style fixture reads hashed n-grams: no pair template
    await expectProblem(
      await call('/v1/models/fixture-multitask/infer', { key: s.key, body: { inputs: [{ text: 'a', text_pair: 'b' }] } }),
      422,
      /no pair template/,
    );
  });
});

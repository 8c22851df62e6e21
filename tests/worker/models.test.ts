// Loading: cache reuse, one shared load for concurrent cold requests, corrupt models,
// tensor-input models, and usage rows written after the response.
import { env } from 'cloudflare:test';
import { desc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_OWNER } from '../../functions/domain/registry.ts';
import { publishPackage } from '../../functions/domain/versions.ts';
import { fixturePackage } from '../../models/multitask/fixture.ts';
import { blobKey } from '../../models/store.ts';
import type { InferResponse } from '../../schemas/api/infer.ts';
import { usageEvents } from '../../schemas/db/schema.ts';
import { tensorPackage } from '../fixtures/tensor-model.ts';
import { wordpiecePackage } from '../fixtures/wordpiece.ts';
import { call, db, eventually, expectProblem, type Seeded, seed } from './helpers.ts';

let s: Seeded;
beforeAll(async () => {
  s = await seed();
});
const infer = (model: string, body: unknown) => call(`/v1/models/${model}/infer`, { key: s.key, body });

describe('session cache', () => {
  it('loads a version once for concurrent first requests, then reuses it', async () => {
    await publishPackage(db(), env.MODELS, await fixturePackage({ name: 'cold', seed: 99 }), {
      owner: PUBLIC_OWNER,
      model: 'cold',
      alias: 'prod',
    });
    const first = await Promise.all(Array.from({ length: 6 }, () => infer('cold', { inputs: ['hello there'] })));
    const bodies = (await Promise.all(first.map((r) => r.json()))) as InferResponse[];
    expect(bodies.filter((b) => b.timing.load_ms !== null)).toHaveLength(1);
    expect(new Set(bodies.map((b) => JSON.stringify(b.results))).size).toBe(1);
    // the loading request says where its load went (Server-Timing), the others do not
    const timings = first.map((r) => r.headers.get('server-timing')).filter((t) => t !== null);
    expect(timings).toHaveLength(1);
    expect(timings[0]).toMatch(/^load;dur=[\d.]+, load-read;dur=[\d.]+, load-session;dur=[\d.]+, load-warm;dur=[\d.]+$/);
    const againRes = await infer('cold', { inputs: ['hello there'] });
    expect(againRes.headers.get('server-timing')).toBeNull();
    const again = (await againRes.json()) as InferResponse;
    expect(again.timing.load_ms).toBeNull();
  });
});

describe('corrupt models', () => {
  it('refuses bytes that do not match their sha256 with a 502, and keeps serving others', async () => {
    const pkg = await fixturePackage({ name: 'tampered', seed: 5 });
    await publishPackage(db(), env.MODELS, pkg, { owner: PUBLIC_OWNER, model: 'tampered', alias: 'prod' });
    const data = pkg.manifest.files.find((f) => f.role === 'external-data')!;
    const bytes = pkg.files[data.path]!.slice();
    bytes[100] = bytes[100]! ^ 0xff;
    await env.MODELS.put(blobKey(data.sha256), bytes);
    await expectProblem(await infer('tampered', { inputs: ['x'] }), 502, /model\.onnx\.data has sha256 [0-9a-f]{64}; the manifest says/);
    expect((await infer('fixture-multitask', { inputs: ['x'] })).status).toBe(200);
  });
  it('answers a graph that onnxruntime cannot load with a 503 and retries it later', async () => {
    const pkg = await fixturePackage({ name: 'garbage', seed: 6 });
    const graph = pkg.manifest.files.find((f) => f.role === 'graph')!;
    const junk = new TextEncoder().encode('this is not an onnx model at all');
    pkg.files[graph.path] = junk;
    Object.assign(graph, { bytes: junk.length, sha256: await (await import('../../models/hash.ts')).sha256Hex(junk) });
    await publishPackage(db(), env.MODELS, pkg, { owner: PUBLIC_OWNER, model: 'garbage', alias: 'prod' });
    await expectProblem(await infer('garbage', { inputs: ['x'] }), 503, /onnxruntime could not load garbage/);
    await expectProblem(await infer('garbage', { inputs: ['x'] }), 503, /could not load/);
    expect((await infer('fixture-multitask', { inputs: ['still fine'] })).status).toBe(200);
  });
  it('answers a missing blob with a 502 naming the file', async () => {
    const pkg = await fixturePackage({ name: 'missing', seed: 8 });
    await publishPackage(db(), env.MODELS, pkg, { owner: PUBLIC_OWNER, model: 'missing', alias: 'prod' });
    await env.MODELS.delete(blobKey(pkg.manifest.files[0]!.sha256));
    await expectProblem(await infer('missing', { inputs: ['x'] }), 502, /is missing from storage/);
  });
});

describe('tensor-input models', () => {
  it('stacks named tensors and returns regression values and embeddings', async () => {
    await publishPackage(db(), env.MODELS, await tensorPackage(), { owner: PUBLIC_OWNER, model: 'fixture-tensor', alias: 'prod' });
    const res = await infer('fixture-tensor', { inputs: [{ x: [1, 2, 3, 4] }, { x: [0, 0, 0, 1] }] });
    const body = (await res.json()) as InferResponse;
    expect(res.status).toBe(200);
    expect(body.results[0]).toEqual({ score: { values: [0.5 - 2 + 6 + 1] }, embedding: { values: [5, 6, 7] } });
    expect(body.results[1]).toEqual({ score: { values: [0.25] }, embedding: { values: [1, 1, 1] } });
    await expectProblem(await infer('fixture-tensor', { inputs: [{ x: [1, 2, 3] }] }), 422, /has 3 values; expected 4/);
    await expectProblem(await infer('fixture-tensor', { inputs: [{ y: [1, 2, 3, 4] }] }), 422, /no tensor "x"/);
    await expectProblem(await infer('fixture-tensor', { inputs: ['text'] }), 422, /takes named tensors/);
  });
});

describe('tokenizer.json models', () => {
  it("tokenizes with the package's WordPiece tokenizer inside workerd", async () => {
    await publishPackage(db(), env.MODELS, await wordpiecePackage(), { owner: PUBLIC_OWNER, model: 'fixture-wordpiece', alias: 'prod' });
    const res = await infer('fixture-wordpiece', { inputs: ['The film was unbelievable!', 'zzz'] });
    const body = (await res.json()) as InferResponse;
    expect(res.status).toBe(200);
    // [CLS] the film was un ##believ ##able ! [SEP] = 9 tokens; [CLS] [UNK] [SEP] = 3
    expect(body.usage.input_tokens).toBe(12);
    expect(Object.keys((body.results[0]!.sentiment as { scores: object }).scores)).toEqual(['negative', 'positive']);
  });
});

describe('usage', () => {
  const rows = () => db().select().from(usageEvents).where(eq(usageEvents.tenantId, s.tenantId)).orderBy(desc(usageEvents.id));
  it('writes one row per request after the response, failures included', async () => {
    const ok = await infer('fixture-multitask', { inputs: ['one', 'two words'], tasks: ['sentiment'] });
    const id = ok.headers.get('x-request-id')!;
    const row = await eventually(async () => (await rows()).find((r) => r.requestId === id));
    expect(row).toMatchObject({
      operation: 'infer',
      model: 'fixture-multitask',
      version: 1,
      tasks: ['sentiment'],
      items: 2,
      inputTokens: 4,
      backend: 'wasm',
      status: 200,
      error: null,
      keyId: s.keyId,
    });
    expect(row.latencyMs).toBeGreaterThanOrEqual(0);

    const bad = await infer('fixture-multitask', { inputs: ['x'], tasks: ['nope'] });
    const badId = bad.headers.get('x-request-id')!;
    const failed = await eventually(async () => (await rows()).find((r) => r.requestId === badId));
    expect(failed).toMatchObject({ status: 404, model: 'fixture-multitask', version: 1 });
    expect(failed.error).toMatch(/no task "nope"/);
  });
  it('writes nothing for requests that fail auth (there is no tenant to bill)', async () => {
    const before = (await db().select().from(usageEvents)).length;
    await call('/v1/models/fixture-multitask/infer', { key: 'chm_bogus', body: { inputs: ['x'] } });
    await new Promise((r) => setTimeout(r, 100));
    expect((await db().select().from(usageEvents)).length).toBe(before);
  });
});

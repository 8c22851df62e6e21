// Micro-batching on a real export (the BERT embedder fixture): concurrent requests
// share runs, each gets exactly what it would have got alone, texts of very different
// lengths are not padded together, and one request's bad input fails only that request.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bootNodeBackend, packageStore } from '../../cli/node-runtime.ts';
import { importHfExport } from '../../models/import/hf-export.ts';
import { infer, type LoadedModel, loadModel } from '../../models/runtime.ts';

const dir = 'tests/fixtures/hf/bert-cls';
let model: LoadedModel;
const load = async () => {
  const pkg = await importHfExport(Object.fromEntries(readdirSync(dir).map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))])), {
    name: 'bert',
  });
  return loadModel(packageStore(pkg), pkg.manifest);
};
beforeAll(async () => {
  bootNodeBackend();
  model = await load();
});

const batched = { microBatch: { windowMs: 20, maxRows: 32, maxTokens: 64, minRunMs: 0 } };
const SHORT = ['a gripping film', 'the plot is a mess', 'it works', 'fine', 'a long slow dull film', 'good'];

describe('micro-batching', () => {
  it('runs concurrent requests together and answers each as if it ran alone', async () => {
    const alone = await Promise.all(SHORT.map((t) => infer(model, [t], ['label'])));
    const together = await Promise.all(SHORT.map((t) => infer(model, [t], ['label'], batched)));
    expect(model.batcher!.runs).toBe(1);
    for (const [i, r] of together.entries()) {
      const want = alone[i]!.results[0]!.label as { scores: Record<string, number> };
      const got = r.results[0]!.label as { scores: Record<string, number> };
      for (const [l, p] of Object.entries(want.scores)) expect(got.scores[l]).toBeCloseTo(p, 5);
      expect(r.inputTokens).toBe(alone[i]!.inputTokens);
    }
  });
  it('keeps texts of very different lengths in different runs', async () => {
    const before = model.batcher!.runs;
    const long = Array.from({ length: 60 }, () => 'film').join(' ');
    await Promise.all([infer(model, ['good'], ['label'], batched), infer(model, [long], ['label'], batched)]);
    expect(model.batcher!.runs - before).toBe(2);
  });
  it('lets texts over maxTokens run alone, outside any group', async () => {
    const own = await load(); // a model's batcher keeps the options it was made with
    const long = Array.from({ length: 30 }, () => 'film').join(' '); // 32 tokens with [CLS] and [SEP]
    const shortOnly = { microBatch: { ...batched.microBatch, maxTokens: 16 } };
    const [a, b] = await Promise.all([infer(own, [long], ['label'], shortOnly), infer(own, [long], ['label'], shortOnly)]);
    await Promise.all([infer(own, ['good'], ['label'], shortOnly), infer(own, ['fine'], ['label'], shortOnly)]);
    expect(own.batcher!.runs).toBe(1); // the two short texts, together
    expect(a.results).toEqual(b.results);
  });
  it('fails only the request whose input is bad', async () => {
    const results = await Promise.allSettled([
      infer(model, ['good'], ['label'], batched),
      infer(model, [{ input_ids: [1, 2] } as never], ['label'], batched),
      infer(model, ['fine'], ['label'], batched),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});

// AdaMerging: the compass search only ever goes down, the TypeScript forward pass it
// minimises is the served graph's (its entropy matches onnxruntime's on the merged
// package), the merge it writes is task arithmetic with the learned coefficients, and
// `chimera merge` records them (and the experts' data hashes) in the recipe.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeCommand } from '../../cli/commands/merge.ts';
import { bootNodeBackend, packageStore } from '../../cli/node-runtime.ts';
import { writePackageDir } from '../../cli/package-dir.ts';
import { sha256Hex } from '../../models/hash.ts';
import { compassSearch } from '../../models/merge/adamerging.ts';
import { mergeTensor } from '../../models/merge/methods.ts';
import { mergeStreaming } from '../../models/merge/stream.ts';
import { MAX_UNLABELLED, parseUnlabelled, tokenizeUnlabelled } from '../../models/merge/unlabelled.ts';
import { fixturePackage } from '../../models/multitask/fixture.ts';
import { internalize } from '../../models/onnx/external.ts';
import { bytesReader } from '../../models/onnx/index.ts';
import { decodeModel } from '../../models/onnx/model.ts';
import { floatsOf } from '../../models/onnx/tensor.ts';
import type { ModelPackage } from '../../models/package.ts';
import { infer, loadModel } from '../../models/runtime.ts';

const shape = { vocab: 512, dim: 8, hidden: [12], tasks: { sentiment: ['negative', 'positive'], topic: ['a', 'b', 'c'] } };
const withRecipe = (p: ModelPackage, recipe: Record<string, unknown>): ModelPackage => ({ ...p, manifest: { ...p.manifest, recipe } });
const data = (path: string) => ({ path, sha256: path.length.toString(16).padStart(64, '0'), rows: 3 });
const models = async () => ({
  base: withRecipe(await fixturePackage({ name: 'm', seed: 1, int8: false, shape }), { data: [data('A/train.tsv')] }),
  experts: [
    withRecipe(await fixturePackage({ name: 'm', seed: 2, int8: false, shape }), { expertOf: 'sentiment', data: [data('A/train.tsv')] }),
    withRecipe(await fixturePackage({ name: 'm', seed: 3, int8: false, shape }), { expertOf: 'topic', data: [data('B/train.tsv')] }),
  ],
});
const TEXTS = ['a fine film', 'the plot is a mess', 'markets fell today', 'a goal in the last minute', 'rain again', 'what a day'];
const lines = TEXTS.map((t, i) =>
  JSON.stringify(i % 3 === 2 ? { custom_id: `${i}`, input: t } : { input: t, task: i % 2 ? 'topic' : 'sentiment' }),
);
const input = (p: ModelPackage) => ({ graph: bytesReader(p.files['model.onnx']!), external: (l: string) => bytesReader(p.files[l]!) });

describe('compassSearch', () => {
  it('never accepts a worse point, stays in [0, 1] and finds a quadratic’s minimum', () => {
    const seen: number[] = [];
    const f = (x: number[]) => (x[0]! - 0.7) ** 2 + (x[1]! - 0.15) ** 2 + (x[2]! + 1) ** 2;
    const r = compassSearch(
      (x) => {
        for (const v of x) expect(v >= 0 && v <= 1).toBe(true);
        seen.push(f(x));
        return f(x);
      },
      [0.3, 0.3, 0.3],
      500,
    );
    expect(r.sweeps.every((v, i) => i === 0 || v <= r.sweeps[i - 1]!)).toBe(true);
    expect(r.f).toBeLessThan(r.initial);
    expect(r.x[0]).toBeCloseTo(0.7, 2);
    expect(r.x[1]).toBeCloseTo(0.15, 2);
    expect(r.x[2]).toBe(0); // the bound
    expect(r.evaluations).toBe(seen.length);
    expect(compassSearch(f, [0.3, 0.3, 0.3], 5).evaluations).toBe(5);
  });
});

describe('AdaMerging', () => {
  it('lowers the entropy, records coefficients per layer, and merges as task arithmetic with them', async () => {
    const { base, experts } = await models();
    const texts = tokenizeUnlabelled(base.manifest, parseUnlabelled(lines));
    const chunks: Uint8Array[] = [];
    const out = await mergeStreaming({
      method: 'adamerging',
      params: { layerwise: true, budget: 200 },
      base: input(base),
      experts: experts.map(input),
      carried: { 'head.sentiment.w': 0, 'head.sentiment.b': 0, 'head.topic.w': 1, 'head.topic.b': 1 },
      unlabelled: texts,
      dataLocation: 'model.onnx.data',
      chunkElements: 64, // the embedding is pooled in row blocks, as in a Worker
      sink: { append: async (b) => void chunks.push(b.slice()) },
    });
    const r = out.adamerging!;
    expect(Object.keys(r.coefficients)).toEqual(['embedding', 'layer0']);
    for (const c of Object.values(r.coefficients)) expect(c).toHaveLength(2);
    expect(r.objective.final).toBeLessThan(r.objective.initial);
    expect(r.objective.sweeps.every((v, i) => i === 0 || v <= r.objective.sweeps[i - 1]!)).toBe(true);
    expect(r.texts).toBe(TEXTS.length);

    // the merged tensors are base + Σ cᵢ·(expertᵢ − base), with the learned c per layer
    const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    const merged = internalize(decodeModel(out.graph), { 'model.onnx.data': all });
    const tensor = (p: ModelPackage, name: string) =>
      floatsOf(internalize(decodeModel(p.files['model.onnx']!), p.files).graph.initializers.find((t) => t.name === name)!);
    for (const [name, group] of [
      ['embedding', 'embedding'],
      ['layer0.w', 'layer0'],
    ] as const) {
      const want = mergeTensor(
        'task_arithmetic',
        tensor(base, name),
        experts.map((e) => tensor(e, name)),
        { weights: r.coefficients[group], lambda: 1 },
      );
      expect(floatsOf(merged.graph.initializers.find((t) => t.name === name)!)).toEqual(want);
    }
    expect(floatsOf(merged.graph.initializers.find((t) => t.name === 'head.topic.w')!)).toEqual(tensor(experts[1]!, 'head.topic.w'));

    // the objective is the served graph's: entropy through onnxruntime on the merged package
    bootNodeBackend();
    const files = { 'model.onnx': out.graph, 'model.onnx.data': all };
    const manifest = {
      ...base.manifest,
      files: await Promise.all(
        base.manifest.files.map(async (f) => ({
          ...f,
          sha256: await sha256Hex(files[f.path as keyof typeof files]),
          bytes: files[f.path as keyof typeof files].length,
        })),
      ),
    };
    const pkg: ModelPackage = { manifest, files };
    const model = await loadModel(packageStore(pkg), pkg.manifest);
    const parsed = parseUnlabelled(lines);
    const perHead: Record<string, number[]> = { sentiment: [], topic: [] };
    for (const l of parsed) {
      const res = await infer(model, [l.text], l.task ? [l.task] : ['sentiment', 'topic']);
      for (const [task, v] of Object.entries(res.results[0]!)) {
        const p = Object.values((v as { scores: Record<string, number> }).scores);
        perHead[task]!.push(-p.reduce((s, x) => s + (x > 0 ? x * Math.log(x) : 0), 0));
      }
    }
    await model.release();
    const served = Object.values(perHead).reduce((s, e) => s + e.reduce((a, b) => a + b, 0) / e.length, 0) / 2;
    expect(served).toBeCloseTo(r.objective.final, 4);
  });

  it('chimera merge --method adamerging records the coefficients and inherits the experts’ data hashes', async () => {
    const { base, experts } = await models();
    const dir = mkdtempSync(join(tmpdir(), 'chimera-ada-'));
    writePackageDir(join(dir, 'base'), base);
    for (const [i, e] of experts.entries()) writePackageDir(join(dir, `e${i}`), e);
    writeFileSync(join(dir, 'texts.jsonl'), `${lines.join('\n')}\n`);
    const args = { method: 'adamerging', base: join(dir, 'base'), expert: [join(dir, 'e0'), join(dir, 'e1')], out: join(dir, 'out') };
    await expect(mergeCommand(args, true)).rejects.toThrow(/--unlabelled/);
    await mergeCommand({ ...args, unlabelled: join(dir, 'texts.jsonl'), layerwise: 'false', budget: '40' }, true);
    const recipe = JSON.parse(readFileSync(join(dir, 'out', 'manifest.json'), 'utf8')).recipe;
    expect(recipe.parameters).toMatchObject({ layerwise: false, budget: 40 });
    expect(Object.keys(recipe.adamerging.coefficients)).toEqual(['all']);
    expect(recipe.adamerging.coefficients.all).toHaveLength(2);
    expect(recipe.adamerging.objective.final).toBeLessThanOrEqual(recipe.adamerging.objective.initial);
    expect(recipe.adamerging.objective.evaluations).toBeLessThanOrEqual(40);
    expect(recipe.adamerging.unlabelled).toMatchObject({ texts: TEXTS.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(recipe.data.map((d: { path: string }) => d.path)).toEqual(['A/train.tsv', 'B/train.tsv']);
    await expect(mergeCommand({ ...args, method: 'ties', unlabelled: join(dir, 'texts.jsonl') }, true)).rejects.toThrow(
      /takes no --unlabelled/,
    );
  });

  it('reads unlabelled texts strictly', async () => {
    expect(parseUnlabelled(['{"input": "a", "task": "t"}', '', '{"custom_id": "x", "input": "b", "label": 1}'])).toEqual([
      { text: 'a', task: 't' },
      { text: 'b' },
    ]);
    expect(() => parseUnlabelled(['not json'])).toThrow(/line 1: not valid JSON/);
    expect(() => parseUnlabelled(['{"input": 3}'])).toThrow(/line 1: "input"/);
    expect(() => parseUnlabelled([''])).toThrow(/no line/);
    expect(() => parseUnlabelled(Array.from({ length: MAX_UNLABELLED + 1 }, () => '{"input": "a"}'))).toThrow(/at most/);
    const { base } = await models();
    expect(() => tokenizeUnlabelled(base.manifest, [{ text: 'a', task: 'nope' }])).toThrow(/no task "nope"/);
  });
});

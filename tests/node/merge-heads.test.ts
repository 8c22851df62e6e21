// Two classifiers fine-tuned from one base (tests/fixtures/hf: ft-a on SST2 with 2
// labels, ft-b on a 3-way task), merged into one multitask package: the shared encoder
// is the method's merge of the three, each head is its expert's, bit for bit.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootNodeBackend, packageStore } from '../../cli/node-runtime.ts';
import { importHfExport } from '../../models/import/hf-export.ts';
import { mergeTensor } from '../../models/merge/methods.ts';
import { mergeStreaming } from '../../models/merge/stream.ts';
import { internalize } from '../../models/onnx/external.ts';
import { bytesReader } from '../../models/onnx/index.ts';
import { decodeModel, type Model } from '../../models/onnx/model.ts';
import { floatsOf } from '../../models/onnx/tensor.ts';
import { buildPackage, type ModelPackage } from '../../models/package.ts';
import { infer, loadModel } from '../../models/runtime.ts';

const load = async (name: string, task: string) => {
  const dir = join('tests/fixtures/hf', name);
  return importHfExport(Object.fromEntries(readdirSync(dir).map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))])), { name, task });
};
const input = (pkg: ModelPackage) => ({
  graph: bytesReader(pkg.files['model.onnx']!),
  external: () => bytesReader(pkg.files['model.onnx.data']!),
});
const modelOf = (pkg: ModelPackage): Model => internalize(decodeModel(pkg.files['model.onnx']!), pkg.files);
const tensor = (m: Model, name: string) => m.graph.initializers.find((t) => t.name === name)!;

describe('merging fine-tunes with their own heads into one multitask package', async () => {
  const [base, a, b] = await Promise.all([load('ft-base', 'base'), load('ft-a', 'sst2'), load('ft-b', 'corpus')]);
  const chunks: Uint8Array[] = [];
  const params = { density: 0.5, lambda: 1 };
  const out = await mergeStreaming({
    method: 'ties',
    params,
    base: input(base),
    experts: [input(a), input(b)],
    heads: { tasks: ['sst2', 'corpus'] },
    dataLocation: 'model.onnx.data',
    sink: { append: async (bytes) => void chunks.push(bytes.slice()) },
  });
  const data = new Uint8Array(Buffer.concat(chunks));
  const merged = internalize(decodeModel(out.graph), { 'model.onnx.data': data });

  it('finds the heads (classifier.weight and .bias differ in shape) and makes one task per expert', () => {
    expect(out.tasks).toEqual({
      sst2: { output: 'sst2', head: ['classifier.weight', 'classifier.bias'].map((n) => `sst2/${n}`) },
      corpus: { output: 'corpus', head: ['classifier.weight', 'classifier.bias'].map((n) => `corpus/${n}`) },
    });
    expect(merged.graph.outputs.map((o) => o.name)).toEqual(['sst2', 'corpus']);
  });
  it("keeps each expert's head bit for bit", () => {
    for (const [task, expert] of [
      ['sst2', a],
      ['corpus', b],
    ] as const) {
      for (const n of ['classifier.weight', 'classifier.bias']) {
        expect(Buffer.from(tensor(merged, `${task}/${n}`).data).equals(Buffer.from(tensor(modelOf(expert), n).data)), `${task}/${n}`).toBe(
          true,
        );
      }
    }
  });
  it('merges every shared tensor exactly as the method does in memory', () => {
    const shared = modelOf(base).graph.initializers.filter((t) => !t.name.startsWith('classifier.') && t.dataType === 1);
    expect(shared.length).toBeGreaterThan(30);
    for (const t of shared) {
      const want = mergeTensor(
        'ties',
        floatsOf(t),
        [floatsOf(tensor(modelOf(a), t.name)), floatsOf(tensor(modelOf(b), t.name))],
        params,
        t.name,
      );
      expect(Buffer.from(floatsOf(tensor(merged, t.name)).buffer).equals(Buffer.from(want.buffer)), t.name).toBe(true);
    }
  });
  it('serves both tasks from one run of the merged encoder', async () => {
    const { files: _f, schema: _s, ...body } = a.manifest;
    const pkg = await buildPackage(
      merged,
      {
        ...body,
        name: 'merged',
        tasks: { sst2: { ...a.manifest.tasks.sst2!, output: 'sst2' }, corpus: { ...b.manifest.tasks.corpus!, output: 'corpus' } },
      },
      { tokenizerJson: a.files['tokenizer.json'] },
    );
    bootNodeBackend();
    const model = await loadModel(packageStore(pkg), pkg.manifest);
    const { results } = await infer(model, ['a gripping film'], ['sst2', 'corpus']);
    expect(Object.keys((results[0]!.sst2 as { scores: object }).scores)).toEqual(['negative', 'positive']);
    expect(Object.keys((results[0]!.corpus as { scores: object }).scores)).toEqual(['cr', 'mpqa', 'subj']);
    await model.release();
  });
});

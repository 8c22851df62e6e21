// The demo multitask model's `embedding` task (issue 16): the shared encoder's output, the
// vector every head reads, served L2-normalised, from the committed package in demo/.
import { beforeAll, describe, expect, it } from 'vitest';
import { bootNodeBackend, packageStore } from '../../cli/node-runtime.ts';
import { readPackageDir } from '../../cli/package-dir.ts';
import { decodeModel } from '../../models/onnx/model.ts';
import type { ModelPackage } from '../../models/package.ts';
import { infer, type LoadedModel, loadModel } from '../../models/runtime.ts';

let pkg: ModelPackage;
let model: LoadedModel;
beforeAll(async () => {
  bootNodeBackend();
  pkg = await readPackageDir('demo/senteval-multitask');
  model = await loadModel(packageStore(pkg), pkg.manifest);
});

const TEXTS = ['a gripping , beautifully shot film', 'the plot is a mess and the acting is worse', 'i love this phone'];

describe('demo/senteval-multitask embedding task', () => {
  it('is the graph output every head reads', () => {
    const task = pkg.manifest.tasks.embedding!;
    expect(task).toMatchObject({ kind: 'embedding', normalize: true });
    const graph = decodeModel(pkg.files['model.onnx']!).graph;
    expect(graph.outputs.map((o) => o.name)).toContain(task.output);
    const heads = Object.entries(pkg.manifest.tasks).filter(([, t]) => t.kind === 'classification');
    expect(heads).toHaveLength(6);
    // each head's first node reads the encoder output (directly, or through its int8 quantization)
    const readers = graph.nodes
      .filter((n) => n.inputs.includes(task.output))
      .flatMap((n) => [n, ...graph.nodes.filter((m) => n.outputs.some((o) => m.inputs.includes(o)))]);
    for (const [name] of heads) expect(readers.some((n) => n.inputs.some((i) => i.startsWith(`head.${name}.`)))).toBe(true);
  });

  it('answers one unit-length vector per text, 128 wide, non-negative (ReLU), alongside the heads in one run', async () => {
    const out = await infer(model, TEXTS, ['embedding', 'sst2']);
    const vectors = out.results.map((r) => (r.embedding as { values: number[] }).values);
    for (const v of vectors) {
      expect(v).toHaveLength(128);
      expect(Math.hypot(...v)).toBeCloseTo(1, 6);
      expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    }
    expect(vectors[0]).not.toEqual(vectors[1]);
    expect(out.results.every((r) => ['negative', 'positive'].includes((r.sst2 as { label: string }).label))).toBe(true);
    // asked alone, the same vectors (the heads do not change the encoder's run)
    const alone = await infer(model, TEXTS, ['embedding']);
    expect(alone.results.map((r) => (r.embedding as { values: number[] }).values)).toEqual(vectors);
  });
});

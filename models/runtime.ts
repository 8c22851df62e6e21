// Loads a model package into a session and answers inference with it.

import type { Manifest } from '../schemas/manifest.ts';
import { type BackendName, createSession, type Session, type TensorData } from './backend.ts';
import { ModelError } from './errors.ts';
import { type BlobReader, readVerified } from './store.ts';
import { readTask, type TaskResult, taskRows } from './tasks.ts';
import { type TextEncoder, type TextItem, textEncoder } from './text/index.ts';

export type { TaskResult };

export interface LoadedModel {
  manifest: Manifest;
  session: Session;
  encode?: TextEncoder;
  heapBytes: number;
  loadMs: number;
  release(): Promise<void>;
}

const MiB = 1 << 20;

/** Heap a session will take, before we have one to measure: ORT keeps about one copy of
 * external data and about 2.5 copies of weights stored inside the graph while loading. */
export function estimateHeapBytes(manifest: Manifest): number {
  let bytes = MiB;
  for (const f of manifest.files) {
    if (f.role === 'external-data') bytes += f.bytes * 1.2;
    else if (f.role === 'graph') bytes += f.bytes * 2.5;
  }
  return Math.ceil(bytes);
}

export async function loadModel(store: BlobReader, manifest: Manifest, opts: { allowWebGPU?: boolean } = {}): Promise<LoadedModel> {
  const started = performance.now();
  const graphFile = manifest.files.find((f) => f.role === 'graph');
  if (!graphFile) throw new ModelError('load', `manifest of ${manifest.name} names no graph file`);
  const externalData: { path: string; data: Uint8Array }[] = [];
  let tokenizerJson: unknown;
  for (const f of manifest.files) {
    if (f.role === 'external-data') externalData.push({ path: f.path, data: await readVerified(store, f) });
    if (f.role === 'tokenizer') tokenizerJson = JSON.parse(new TextDecoder().decode(await readVerified(store, f)));
  }
  const graph = await readVerified(store, graphFile);
  let session: Session;
  try {
    session = await createSession(graph, { externalData, allowWebGPU: opts.allowWebGPU });
  } catch (e) {
    throw new ModelError('load', `onnxruntime could not load ${manifest.name}: ${(e as Error).message}`);
  }
  const missing = Object.values(manifest.tasks)
    .map((t) => t.output)
    .filter((o) => !session.outputNames.includes(o));
  const encode = manifest.input.kind === 'text' ? textEncoder(manifest.input, tokenizerJson) : undefined;
  if (missing.length) {
    await session.release();
    throw new ModelError('load', `graph of ${manifest.name} has no output(s) ${missing.join(', ')} named by the manifest`);
  }
  return {
    manifest,
    session,
    encode,
    // the heap only grows, so a reload into freed space measures 0: never count less than the estimate
    heapBytes: Math.max(session.heapGrowth, estimateHeapBytes(manifest)),
    loadMs: performance.now() - started,
    release: () => session.release(),
  };
}

export interface Inference {
  backend: BackendName;
  results: Record<string, TaskResult>[];
  inputTokens: number;
  tokenizeMs: number;
  runMs: number;
}

export type TensorItem = Record<string, number[]>;

export async function infer(model: LoadedModel, inputs: TextItem[] | TensorItem[], tasks: string[]): Promise<Inference> {
  const { manifest } = model;
  const t0 = performance.now();
  let feeds: Record<string, TensorData>;
  let tokens: number[] | undefined;
  if (model.encode) {
    if (inputs.some((i) => !isTextItem(i))) throw new ModelError('input', `${manifest.name} takes texts`);
    const encoded = model.encode(inputs as TextItem[]);
    feeds = encoded.feeds;
    tokens = encoded.tokens;
  } else {
    feeds = stackTensors(manifest, inputs);
  }
  const t1 = performance.now();
  const outputs = await model.session.run(
    feeds,
    tasks.map((t) => manifest.tasks[t]!.output),
  );
  const t2 = performance.now();
  const results = inputs.map(() => ({}) as Record<string, TaskResult>);
  for (const task of tasks) {
    const spec = manifest.tasks[task]!;
    const rows = taskRows(spec, outputs[spec.output]!, inputs.length, tokens);
    for (const [i, row] of rows.entries()) results[i]![task] = readTask(spec, row);
  }
  const inputTokens = (tokens ?? []).reduce((a, b) => a + b, 0);
  return { backend: model.session.backend, results, inputTokens, tokenizeMs: t1 - t0, runMs: t2 - t1 };
}

const isTextItem = (i: unknown): i is TextItem =>
  typeof i === 'string' || (typeof i === 'object' && i !== null && typeof (i as { text?: unknown }).text === 'string');

/** Stacks per-item tensors into batch tensors; an item's shape is the spec's minus the
 * batch axis, with at most one dynamic axis inferred from the values' length. */
function stackTensors(manifest: Manifest, inputs: (TextItem | TensorItem)[]): Record<string, TensorData> {
  if (manifest.input.kind !== 'tensors') throw new ModelError('input', `${manifest.name} takes texts`);
  const feeds: Record<string, TensorData> = {};
  for (const spec of manifest.input.tensors) {
    const items = inputs.map((item, i) => {
      if (isTextItem(item)) throw new ModelError('input', `${manifest.name} takes named tensors, not texts`);
      const values = (item as TensorItem)[spec.name];
      if (!values) throw new ModelError('input', `input ${i} has no tensor "${spec.name}"`);
      return values;
    });
    const itemShape = spec.shape.slice(1);
    const fixed = itemShape.reduce<number>((a, d) => (typeof d === 'number' && d > 0 ? a * d : a), 1);
    const dynamic = itemShape.filter((d) => !(typeof d === 'number' && d > 0)).length;
    const length = items[0]!.length;
    const bad = items.findIndex((v) => v.length !== length || (dynamic === 0 ? v.length !== fixed : v.length % fixed !== 0));
    if (bad >= 0) {
      throw new ModelError(
        'input',
        `tensor "${spec.name}" of input ${bad} has ${items[bad]!.length} values; expected ${dynamic ? `a multiple of ${fixed}, the same for every input` : fixed} for shape [${itemShape.join(', ')}]`,
      );
    }
    const dims = [inputs.length, ...itemShape.map((d) => (typeof d === 'number' && d > 0 ? d : length / fixed))];
    const flat = items.flat();
    const data =
      spec.dtype === 'float32'
        ? Float32Array.from(flat)
        : spec.dtype === 'int32'
          ? Int32Array.from(flat)
          : BigInt64Array.from(flat, (v) => BigInt(Math.trunc(v)));
    feeds[spec.name] = { type: spec.dtype, data, dims };
  }
  return feeds;
}

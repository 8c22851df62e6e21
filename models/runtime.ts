// Loads a model package into a session and answers inference with it.

import type { Manifest } from '../schemas/manifest.ts';
import { type BackendName, createSession, type Session, wasmHeapBytes } from './backend.ts';
import { type BatchingOptions, MicroBatcher } from './batcher.ts';
import { ModelError } from './errors.ts';
import { type BlobReader, readVerified } from './store.ts';
import { readTask, type TaskResult, taskRows } from './tasks.ts';
import { stackTensors, type TensorItem } from './tensor-input.ts';
import { type TextEncoder, type TextItem, TOKENIZE_MS, textEncoder } from './text/index.ts';
import { TOKENIZER_HEAP_FACTOR, tokenizerProblems } from './text/tokenizer-safety.ts';
import { runTexts } from './text-runs.ts';

export type { TaskResult, TensorItem };

export interface LoadedModel {
  manifest: Manifest;
  session: Session;
  encode?: TextEncoder;
  /** heap the model holds, its largest run included */
  heapBytes: number;
  /** heap growth of one run of one text at maxTokens (0 when it fit in free heap) */
  rowBytes: number;
  /** how long a warm run of one short text (16 tokens) takes: what decides whether
   * micro-batching pays (it does where a run's fixed cost is large) */
  probeMs: number;
  batcher?: MicroBatcher;
  loadMs: number;
  /** where loadMs went: reading (and checking) the files, creating the session, the warm-up runs */
  loadPhases: { readMs: number; sessionMs: number; warmMs: number };
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
    else if (f.role === 'tokenizer') bytes += f.bytes * TOKENIZER_HEAP_FACTOR;
  }
  return Math.ceil(bytes);
}

export async function loadModel(store: BlobReader, manifest: Manifest, opts: { allowWebGPU?: boolean } = {}): Promise<LoadedModel> {
  const started = performance.now();
  const graphFile = manifest.files.find((f) => f.role === 'graph');
  if (!graphFile) throw new ModelError('load', `manifest of ${manifest.name} names no graph file`);
  // the files are read at once: a cold start waits for the slowest, not the sum
  const files = manifest.files.filter((f) => f.role === 'external-data' || f.role === 'tokenizer' || f === graphFile);
  const bytesOf = new Map(await Promise.all(files.map(async (f) => [f, await readVerified(store, f)] as const)));
  const externalData = files.filter((f) => f.role === 'external-data').map((f) => ({ path: f.path, data: bytesOf.get(f)! }));
  let tokenizerJson: unknown;
  const tokenizerFile = files.find((f) => f.role === 'tokenizer');
  if (tokenizerFile) {
    const bytes = bytesOf.get(tokenizerFile)!;
    const problems = tokenizerProblems(bytes, tokenizerFile.path);
    if (problems.length) throw new ModelError('load', problems.join('; '));
    tokenizerJson = JSON.parse(new TextDecoder().decode(bytes));
  }
  const graph = bytesOf.get(graphFile)!;
  const read = performance.now();
  let session: Session;
  try {
    session = await createSession(graph, { externalData, allowWebGPU: opts.allowWebGPU });
  } catch (e) {
    throw new ModelError('load', `onnxruntime could not load ${manifest.name}: ${(e as Error).message}`);
  }
  const created = performance.now();
  const missing = Object.values(manifest.tasks)
    .map((t) => t.output)
    .filter((o) => !session.outputNames.includes(o));
  const encode = manifest.input.kind === 'text' ? textEncoder(manifest.input, tokenizerJson) : undefined;
  if (missing.length) {
    await session.release();
    throw new ModelError('load', `graph of ${manifest.name} has no output(s) ${missing.join(', ')} named by the manifest`);
  }
  // one run at the longest input a text model takes: its activations are the model's
  // too, and the run warms the engine before the model takes traffic
  const before = wasmHeapBytes();
  let probeMs = 0;
  if (encode && manifest.input.kind === 'text') {
    await session.run(encode.probe(1, manifest.input.tokenizer.maxTokens).feeds);
    // timed apart from the first run, which is slow while the engine warms up (the demo
    // model's first run took over 5 ms, its warm runs 0.06 ms)
    const short = encode.probe(1, Math.min(16, manifest.input.tokenizer.maxTokens)).feeds;
    const probeStarted = performance.now();
    await session.run(short);
    probeMs = performance.now() - probeStarted;
  }
  const rowBytes = wasmHeapBytes() - before;
  return {
    manifest,
    session,
    encode,
    rowBytes,
    probeMs,
    // the heap only grows, so a reload into freed space measures 0: never count less than the estimate
    heapBytes: Math.max(session.heapGrowth + rowBytes, estimateHeapBytes(manifest)),
    loadMs: performance.now() - started,
    loadPhases: { readMs: read - started, sessionMs: created - read, warmMs: performance.now() - created },
    release: () => session.release(),
  };
}

export interface Inference {
  backend: BackendName;
  results: Record<string, TaskResult>[];
  inputTokens: number;
  /** each text input's tokens (OpenAI batch lines report their own usage) */
  tokens?: number[];
  tokenizeMs: number;
  runMs: number;
}

const isTextItem = (i: unknown): i is TextItem =>
  typeof i === 'string' || (typeof i === 'object' && i !== null && typeof (i as { text?: unknown }).text === 'string');

export interface InferOptions {
  /** coalesce concurrent requests into shared runs, for models whose runs are slow
   * enough for that to pay (see models/batcher.ts) */
  microBatch?: BatchingOptions & { minRunMs: number };
}

/** The model's batcher, made on first use, when batching is asked for and pays. Never
 * for int8 packages: their activations are quantized with one scale per run
 * (DynamicQuantizeLinear), so a row's answer would depend on the rows beside it (the
 * demo model's scores moved by up to 5e-4); a shared run must answer as runs alone do. */
function batcherOf(model: LoadedModel, opts: InferOptions): MicroBatcher | undefined {
  const mb = opts.microBatch;
  if (!mb || model.manifest.quantization === 'int8' || model.probeMs < mb.minRunMs) return undefined;
  model.batcher ??= new MicroBatcher(model, mb);
  return model.batcher;
}

export async function infer(
  model: LoadedModel,
  inputs: TextItem[] | TensorItem[],
  tasks: string[],
  opts: InferOptions = {},
): Promise<Inference> {
  const { manifest } = model;
  const t0 = performance.now();
  if (!model.encode || manifest.input.kind !== 'text') {
    const feeds = stackTensors(manifest, inputs);
    const t1 = performance.now();
    const out = await model.session.run(
      feeds,
      tasks.map((t) => manifest.tasks[t]!.output),
    );
    const results = inputs.map(() => ({}) as Record<string, TaskResult>);
    for (const task of tasks) {
      const spec = manifest.tasks[task]!;
      for (const [i, row] of taskRows(spec, out[spec.output]!, inputs.length).entries()) results[i]![task] = readTask(spec, row);
    }
    return { backend: model.session.backend, results, inputTokens: 0, tokenizeMs: t1 - t0, runMs: performance.now() - t1 };
  }
  if (inputs.some((i) => !isTextItem(i))) throw new ModelError('input', `${manifest.name} takes texts`);
  const lists = model.encode.tokenize(inputs as TextItem[], t0 + TOKENIZE_MS);
  const tokenizeMs = performance.now() - t0;
  const batcher = batcherOf(model, opts);
  const { results, runMs } = batcher ? await batcher.run(lists, tasks) : await runTexts(model, lists, tasks);
  const inputTokens = lists.reduce((a, l) => a + l.ids.length, 0);
  return { backend: model.session.backend, results, inputTokens, tokens: lists.map((l) => l.ids.length), tokenizeMs, runMs };
}

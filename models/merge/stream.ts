// Streaming merge: one logical tensor at a time, read by range from every input, merged,
// optionally re-quantized, and appended to the output's external-data file. Peak memory
// is (experts + 2) × the largest tensor whatever the model's size, or × `chunkElements`
// when tensors are merged in row blocks (a Worker's 128 MB cannot hold eight copies of
// a 32 MB embedding table): TIES and breadcrumbs then find their per-tensor trims and
// DARE its rescale factors first (models/merge/stats.ts), and int8 output learns each
// column's range in one pass and quantizes in the next.
//
// int8 inputs (our quantizer's `X.q` int8 + `X.scale` pairs) are dequantized, merged in
// float and re-quantized, so int8 in gives int8 out; float in gives float out unless
// `quantize` asks for int8.

import { methodSpec } from '../../schemas/merge-methods.ts';
import { EXTERNAL_MIN_BYTES } from '../onnx/external.ts';
import { readIndexed } from '../onnx/index.ts';
import { DataType, encodeModel, type Model, type Tensor } from '../onnx/model.ts';
import { quantizeModel } from '../quantize/graph.ts';
import { quantizeColumns, quantizeWithScales, scaleOf } from '../quantize/int8.ts';
import { type AdaMergingResult, coefficientsFor, learnCoefficients, type UnlabelledText } from './adamerging.ts';
import { type AssembledHeads, assembleHeads } from './assemble.ts';
import { type ExpertStats, type MergeMethod, type MergeParams, mergeTensor, needsBase, resolveParams } from './methods.ts';
import { logical, type MergeInput, type Opened, open, product, readRows } from './read.ts';
import { chunkedStats } from './stats.ts';

export type { MergeInput } from './read.ts';

export interface DataSink {
  append(bytes: Uint8Array): Promise<void>;
}

export interface MergeOptions {
  method: MergeMethod;
  params?: MergeParams;
  base?: MergeInput;
  experts: MergeInput[];
  /** initializer → index of the expert it is carried from unmerged (task heads) */
  carried?: Record<string, number>;
  quantize?: boolean;
  /** the output's external-data file name, as the graph will refer to it */
  dataLocation: string;
  sink: DataSink;
  onTensor?: (done: number, total: number, name: string) => void | Promise<void>;
  /** merge tensors larger than this in row blocks of about this many elements */
  chunkElements?: number;
  /** AdaMerging's unlabelled texts, tokenized (models/merge/unlabelled.ts) */
  unlabelled?: UnlabelledText[];
  /** fine-tunes with their own heads: keep expert i's head as task `tasks[i]` of one
   * multitask graph (models/merge/assemble.ts); `names` names the head initializers */
  heads?: { tasks: string[]; names?: string[] };
}

export interface MergeOutput {
  graph: Uint8Array;
  dataBytes: number;
  tensors: number;
  elements: number;
  largestTensorBytes: number;
  /** what AdaMerging learned: the coefficients the merge used, and the objective */
  adamerging?: AdaMergingResult;
  /** with `heads`: each task's output and head initializers in the merged graph */
  tasks?: AssembledHeads['tasks'];
}

const ALIGN = 64;
const asBytes = (a: Float32Array | Int8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export async function mergeStreaming(opts: MergeOptions): Promise<MergeOutput> {
  if (opts.experts.length === 0) throw new Error('a merge needs at least one expert');
  if (needsBase(opts.method) && !opts.base) throw new Error(`${opts.method} needs a base model`);
  const experts = await Promise.all(opts.experts.map(open));
  const base = opts.base ? await open(opts.base) : undefined;
  const ref = base ?? experts[0]!;
  const chunkElements = opts.chunkElements ?? Infinity;
  // AdaMerging first learns the experts' weights, then merges as task arithmetic with them
  let learned: AdaMergingResult | undefined;
  if (methodSpec(opts.method).learns) {
    if (!opts.unlabelled) throw new Error(`${opts.method} needs unlabelled texts to learn its weights on`);
    const r = resolveParams(opts.method, opts.params ?? {}, experts.length);
    learned = await learnCoefficients(base!, experts, opts.carried ?? {}, opts.unlabelled, {
      layerwise: r.layerwise,
      init: r.init,
      budget: r.budget,
      chunkElements: Number.isFinite(chunkElements) ? chunkElements : undefined,
    });
  }
  const paramsOf = (name: string): MergeParams =>
    learned ? { ...opts.params, weights: coefficientsFor(learned, name) } : (opts.params ?? {});

  // The output graph: the reference's, its int8 pairs as they are, or freshly quantized.
  const quantizedIn = ref.index.tensors.some((t) => t.dataType === DataType.INT8 && t.name.endsWith('.q'));
  const skeletonOf = (m: Opened): Model => ({
    ...m.index.skeleton,
    graph: { ...m.index.skeleton.graph, initializers: m.index.tensors.map(({ source: _s, ...t }) => t) },
  });
  const assembled = opts.heads && assembleHeads(skeletonOf(ref), experts.map(skeletonOf), opts.heads.tasks, opts.heads.names);
  const skeleton = assembled?.model ?? skeletonOf(ref);
  /** where an initializer of the output is carried from unmerged, if it is */
  const carriedFrom = (name: string) => {
    const c = assembled?.sources[name] ?? opts.carried?.[name];
    return c === undefined ? undefined : typeof c === 'number' ? { expert: c, name } : c;
  };
  const outModel = opts.quantize && !quantizedIn ? quantizeModel(skeleton, { withData: false }) : skeleton;

  let offset = 0,
    elements = 0,
    largest = 0;
  const pendingScales = new Map<string, Uint8Array>();
  /** Appends a tensor of `length` bytes written by `write`; small ones stay inline. */
  const emit = async (t: Tensor, length: number, write: (append: (b: Uint8Array) => Promise<void>) => Promise<void>): Promise<Tensor> => {
    if (length < EXTERNAL_MIN_BYTES) {
      const parts: Uint8Array[] = [];
      await write(async (b) => {
        parts.push(b.slice());
      });
      const data = new Uint8Array(length);
      let o = 0;
      for (const p of parts) {
        data.set(p, o);
        o += p.length;
      }
      return { ...t, data, external: undefined };
    }
    const pad = (ALIGN - (offset % ALIGN)) % ALIGN;
    if (pad) await opts.sink.append(new Uint8Array(pad));
    offset += pad;
    const start = offset;
    await write(async (b) => {
      await opts.sink.append(b);
      offset += b.length;
    });
    if (offset - start !== length) throw new Error(`tensor ${t.name}: wrote ${offset - start} bytes, expected ${length}`);
    return { ...t, data: new Uint8Array(0), external: { location: opts.dataLocation, offset: start, length } };
  };

  /** Row blocks of a logical tensor and a function merging one block. */
  const plan = async (name: string) => {
    const carried = carriedFrom(name);
    const dims = logical(carried ? experts[carried.expert]! : ref, carried?.name ?? name).dims;
    const n = product(dims),
      rows = dims.length ? dims[0]! : 1,
      rowLen = product(dims.slice(1));
    const per = n <= chunkElements ? rows : Math.max(1, Math.floor(chunkElements / rowLen));
    const blocks: [number, number][] = [];
    for (let r = 0; r < rows; r += per) blocks.push([r, Math.min(rows, r + per)]);
    largest = Math.max(largest, per * rowLen * 4);
    elements += n;
    // per expert, per block: what a block cannot see of the whole tensor (trims, rescale)
    let stats: (ExpertStats[] | undefined)[] | undefined;
    if (carried === undefined && blocks.length > 1) {
      const resolved = resolveParams(opts.method, paramsOf(name), experts.length);
      stats = [];
      for (const [i, e] of experts.entries()) {
        const read = async (block: number) => {
          const [r0, r1] = blocks[block]!;
          const d = await readRows(e, name, r0, r1);
          const b = await readRows(base!, name, r0, r1);
          for (let j = 0; j < d.length; j++) d[j]! -= b[j]!;
          return d;
        };
        stats.push(await chunkedStats(resolved, name, i, { n, offsets: blocks.map(([r0]) => r0 * rowLen), read }));
      }
    }
    const merge = async ([r0, r1]: [number, number], block: number): Promise<Float32Array> => {
      if (carried !== undefined) return readRows(experts[carried.expert]!, carried.name, r0, r1);
      const b = base ? await readRows(base, name, r0, r1) : undefined;
      const xs: Float32Array[] = [];
      for (const e of experts) xs.push(await readRows(e, name, r0, r1));
      const blockStats = stats?.some(Boolean) ? stats.map((s) => s?.[block] ?? {}) : undefined;
      return mergeTensor(opts.method, b, xs, paramsOf(name), name, { offset: r0 * rowLen, stats: blockStats });
    };
    return { dims, n, rowLen, blocks, merge };
  };

  const out: Tensor[] = [];
  const total = outModel.graph.initializers.length;
  for (const [i, t] of outModel.graph.initializers.entries()) {
    await opts.onTensor?.(i, total, t.name);
    const scale = t.name.endsWith('.scale') ? pendingScales.get(t.name) : undefined;
    if (scale) {
      out.push(await emit(t, scale.length, (append) => append(scale)));
      pendingScales.delete(t.name);
    } else if (t.dataType === DataType.INT8 && t.name.endsWith('.q')) {
      const name = t.name.slice(0, -2);
      const p = await plan(name);
      const cols = p.rowLen;
      let scales: Float32Array;
      if (p.blocks.length === 1) {
        const { q, scale: s } = quantizeColumns(await p.merge(p.blocks[0]!, 0), p.n / cols, cols);
        scales = s;
        out.push(await emit(t, q.length, (append) => append(asBytes(q))));
      } else {
        const maxAbs = new Float32Array(cols);
        for (const [b, block] of p.blocks.entries()) {
          const m = await p.merge(block, b);
          for (let j = 0; j < m.length; j++) {
            const a = Math.abs(m[j]!);
            if (a > maxAbs[j % cols]!) maxAbs[j % cols] = a;
          }
        }
        scales = maxAbs.map(scaleOf);
        out.push(
          await emit(t, p.n, async (append) => {
            for (const [b, block] of p.blocks.entries()) await append(asBytes(quantizeWithScales(await p.merge(block, b), cols, scales)));
          }),
        );
      }
      pendingScales.set(`${name}.scale`, asBytes(scales));
    } else if (t.dataType === DataType.FLOAT) {
      const p = await plan(t.name);
      out.push(
        await emit(t, p.n * 4, async (append) => {
          for (const [b, block] of p.blocks.entries()) await append(asBytes(await p.merge(block, b)));
        }),
      );
    } else {
      // integer constants (axes, shapes): the same in every input (or one head's own)
      const c = carriedFrom(t.name);
      const from = c ? experts[c.expert]! : ref;
      const data = await readIndexed(from.byName.get(c?.name ?? t.name)!, from.graph, from.external);
      out.push(await emit(t, data.length, (append) => append(data)));
    }
  }
  await opts.onTensor?.(total, total, '');
  const model: Model = { ...outModel, graph: { ...outModel.graph, initializers: out } };
  return {
    graph: encodeModel(model),
    dataBytes: offset,
    tensors: total,
    elements,
    largestTensorBytes: largest,
    adamerging: learned,
    tasks: assembled?.tasks,
  };
}

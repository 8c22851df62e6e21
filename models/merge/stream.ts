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

import { EXTERNAL_MIN_BYTES } from '../onnx/external.ts';
import { type IndexedTensor, indexOnnx, type OnnxIndex, type RangeReader, readIndexed } from '../onnx/index.ts';
import { DataType, encodeModel, type Model, type Tensor } from '../onnx/model.ts';
import { quantizeModel } from '../quantize/graph.ts';
import { dequantizeColumns, quantizeColumns, quantizeWithScales, scaleOf } from '../quantize/int8.ts';
import { type ExpertStats, type MergeMethod, type MergeParams, mergeTensor, needsBase, resolveParams } from './methods.ts';
import { chunkedStats } from './stats.ts';

export interface MergeInput {
  graph: RangeReader;
  external: (location: string) => RangeReader;
}
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
}

export interface MergeOutput {
  graph: Uint8Array;
  dataBytes: number;
  tensors: number;
  elements: number;
  largestTensorBytes: number;
}

interface Opened extends MergeInput {
  index: OnnxIndex;
  byName: Map<string, IndexedTensor>;
}

const ALIGN = 64;

async function open(input: MergeInput): Promise<Opened> {
  const index = await indexOnnx(input.graph);
  return { ...input, index, byName: new Map(index.tensors.map((t) => [t.name, t])) };
}

const product = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
const floats = (b: Uint8Array) =>
  b.byteOffset % 4 === 0 ? new Float32Array(b.buffer, b.byteOffset, b.length / 4) : new Float32Array(b.slice().buffer);
const asBytes = (a: Float32Array | Int8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** `length` bytes from `start` of a tensor's payload. */
async function readRange(m: Opened, t: IndexedTensor, start: number, length: number): Promise<Uint8Array> {
  if (start === 0 && t.source.length >= 0 && length === t.source.length) return readIndexed(t, m.graph, m.external);
  if (t.source.offset < 0) return t.data.subarray(start, start + length);
  const reader = t.source.location === null ? m.graph : m.external(t.source.location);
  return reader.read(t.source.offset + start, length);
}

/** The logical float tensor `name` (a float initializer, or an int8 pair) of one input. */
function logical(m: Opened, name: string): { dims: number[]; plain?: IndexedTensor; q?: IndexedTensor; scale?: IndexedTensor } {
  const plain = m.byName.get(name);
  if (plain?.dataType === DataType.FLOAT) return { dims: plain.dims, plain };
  const q = m.byName.get(`${name}.q`),
    scale = m.byName.get(`${name}.scale`);
  if (q?.dataType !== DataType.INT8 || !scale) throw new Error(`input has no float or int8 tensor "${name}"`);
  return { dims: q.dims, q, scale };
}

/** Rows [r0, r1) of logical tensor `name`, as floats we own (dequantized if int8). */
async function readRows(m: Opened, name: string, r0: number, r1: number): Promise<Float32Array> {
  const l = logical(m, name);
  const rowLen = product(l.dims.slice(1));
  if (l.plain) return floats(await readRange(m, l.plain, r0 * rowLen * 4, (r1 - r0) * rowLen * 4)).slice();
  const qb = await readRange(m, l.q!, r0 * rowLen, (r1 - r0) * rowLen);
  const scale = floats(await readIndexed(l.scale!, m.graph, m.external));
  return dequantizeColumns(new Int8Array(qb.buffer, qb.byteOffset, qb.length), scale, r1 - r0, rowLen);
}

export async function mergeStreaming(opts: MergeOptions): Promise<MergeOutput> {
  if (opts.experts.length === 0) throw new Error('a merge needs at least one expert');
  if (needsBase(opts.method) && !opts.base) throw new Error(`${opts.method} needs a base model`);
  const experts = await Promise.all(opts.experts.map(open));
  const base = opts.base ? await open(opts.base) : undefined;
  const ref = base ?? experts[0]!;
  const params = opts.params ?? {};
  const chunkElements = opts.chunkElements ?? Infinity;

  // The output graph: the reference's, its int8 pairs as they are, or freshly quantized.
  const quantizedIn = ref.index.tensors.some((t) => t.dataType === DataType.INT8 && t.name.endsWith('.q'));
  const skeleton: Model = {
    ...ref.index.skeleton,
    graph: { ...ref.index.skeleton.graph, initializers: ref.index.tensors.map(({ source: _s, ...t }) => t) },
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
    const dims = logical(ref, name).dims;
    const n = product(dims),
      rows = dims.length ? dims[0]! : 1,
      rowLen = product(dims.slice(1));
    const per = n <= chunkElements ? rows : Math.max(1, Math.floor(chunkElements / rowLen));
    const blocks: [number, number][] = [];
    for (let r = 0; r < rows; r += per) blocks.push([r, Math.min(rows, r + per)]);
    largest = Math.max(largest, per * rowLen * 4);
    elements += n;
    const carriedFrom = opts.carried?.[name];
    // per expert, per block: what a block cannot see of the whole tensor (trims, rescale)
    let stats: (ExpertStats[] | undefined)[] | undefined;
    if (carriedFrom === undefined && blocks.length > 1) {
      const resolved = resolveParams(opts.method, params, experts.length);
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
      if (carriedFrom !== undefined) return readRows(experts[carriedFrom]!, name, r0, r1);
      const b = base ? await readRows(base, name, r0, r1) : undefined;
      const xs: Float32Array[] = [];
      for (const e of experts) xs.push(await readRows(e, name, r0, r1));
      const blockStats = stats?.some(Boolean) ? stats.map((s) => s?.[block] ?? {}) : undefined;
      return mergeTensor(opts.method, b, xs, params, name, { offset: r0 * rowLen, stats: blockStats });
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
      // integer constants (axes, shapes): the same in every input
      const data = await readIndexed(ref.byName.get(t.name)!, ref.graph, ref.external);
      out.push(await emit(t, data.length, (append) => append(data)));
    }
  }
  await opts.onTensor?.(total, total, '');
  const model: Model = { ...outModel, graph: { ...outModel.graph, initializers: out } };
  return { graph: encodeModel(model), dataBytes: offset, tensors: total, elements, largestTensorBytes: largest };
}

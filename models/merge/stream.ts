// Streaming merge: one logical tensor at a time, read by range from every input, merged,
// optionally re-quantized, and appended to the output's external-data file. Peak memory
// is (experts + 2) × the largest tensor whatever the model's size.
//
// int8 inputs (our quantizer's `X.q` int8 + `X.scale` pairs) are dequantized, merged in
// float and re-quantized, so int8 in gives int8 out; float in gives float out unless
// `quantize` asks for int8.
import { DataType, encodeModel, type Model, type Tensor } from '../onnx/model.ts';
import { indexOnnx, readIndexed, type IndexedTensor, type OnnxIndex, type RangeReader } from '../onnx/index.ts';
import { quantizeModel } from '../quantize/graph.ts';
import { dequantizeColumns, quantizeColumns } from '../quantize/int8.ts';
import { mergeTensor, needsBase, type MergeMethod, type MergeParams } from './methods.ts';

export interface MergeInput { graph: RangeReader; external: (location: string) => RangeReader }
export interface DataSink { append(bytes: Uint8Array): Promise<void> }

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
  onTensor?: (done: number, total: number, name: string) => void;
}

export interface MergeOutput { graph: Uint8Array; dataBytes: number; tensors: number; elements: number; largestTensorBytes: number }

interface Opened extends MergeInput { index: OnnxIndex; byName: Map<string, IndexedTensor> }

const ALIGN = 64;
const INLINE_BELOW = 1024; // bytes, as models/onnx/external.ts

async function open(input: MergeInput): Promise<Opened> {
  const index = await indexOnnx(input.graph);
  return { ...input, index, byName: new Map(index.tensors.map((t) => [t.name, t])) };
}

/** Reads logical float tensor `name` (dequantizing an int8 pair) from one input. */
async function readFloat(m: Opened, name: string): Promise<Float32Array> {
  const plain = m.byName.get(name);
  const bytes = async (t: IndexedTensor) => readIndexed(t, m.graph, m.external);
  const floats = (b: Uint8Array) => (b.byteOffset % 4 === 0 ? new Float32Array(b.buffer, b.byteOffset, b.length / 4) : new Float32Array(b.slice().buffer));
  if (plain?.dataType === DataType.FLOAT) return floats(await bytes(plain)).slice();
  const q = m.byName.get(`${name}.q`), scale = m.byName.get(`${name}.scale`);
  if (q?.dataType !== DataType.INT8 || !scale) throw new Error(`input has no float or int8 tensor "${name}"`);
  const qb = await bytes(q);
  return dequantizeColumns(new Int8Array(qb.buffer, qb.byteOffset, qb.length), floats(await bytes(scale)), q.dims[0]!, q.dims[1]!);
}

export async function mergeStreaming(opts: MergeOptions): Promise<MergeOutput> {
  if (opts.experts.length === 0) throw new Error('a merge needs at least one expert');
  if (needsBase(opts.method) && !opts.base) throw new Error(`${opts.method} needs a base model`);
  const experts = await Promise.all(opts.experts.map(open));
  const base = opts.base ? await open(opts.base) : undefined;
  const ref = base ?? experts[0]!;

  // The output graph: the reference's, its int8 pairs as they are, or freshly quantized.
  const quantizedIn = ref.index.tensors.some((t) => t.dataType === DataType.INT8 && t.name.endsWith('.q'));
  const skeleton: Model = { ...ref.index.skeleton, graph: { ...ref.index.skeleton.graph, initializers: ref.index.tensors.map(({ source: _s, ...t }) => t) } };
  const outModel = opts.quantize && !quantizedIn ? quantizeModel(skeleton, { withData: false }) : skeleton;

  let offset = 0, dataBytes = 0, elements = 0, largest = 0;
  const pendingScales = new Map<string, Uint8Array>();
  const emit = async (t: Tensor, data: Uint8Array): Promise<Tensor> => {
    // small tensors stay inline: ORT's shape inference must read constants such as axes
    if (data.length < INLINE_BELOW) return { ...t, data: data.slice(), external: undefined };
    const pad = (ALIGN - (offset % ALIGN)) % ALIGN;
    if (pad) await opts.sink.append(new Uint8Array(pad));
    offset += pad;
    await opts.sink.append(data);
    const placed = { ...t, data: new Uint8Array(0), external: { location: opts.dataLocation, offset, length: data.length } };
    offset += data.length;
    dataBytes = offset;
    return placed;
  };
  const asBytes = (a: Float32Array | Int8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

  const logicalName = (t: Tensor) => (t.dataType === DataType.INT8 && t.name.endsWith('.q') ? t.name.slice(0, -2) : t.name);
  const mergeLogical = async (name: string): Promise<Float32Array> => {
    const carriedFrom = opts.carried?.[name];
    if (carriedFrom !== undefined) return readFloat(experts[carriedFrom]!, name);
    const baseValues = base ? await readFloat(base, name) : undefined;
    const expertValues: Float32Array[] = [];
    for (const e of experts) expertValues.push(await readFloat(e, name));
    largest = Math.max(largest, expertValues[0]!.byteLength);
    elements += expertValues[0]!.length;
    return mergeTensor(opts.method, baseValues, expertValues, opts.params, name);
  };

  const out: Tensor[] = [];
  const total = outModel.graph.initializers.length;
  for (const [i, t] of outModel.graph.initializers.entries()) {
    opts.onTensor?.(i, total, t.name);
    const scaleOf = t.name.endsWith('.scale') ? pendingScales.get(t.name) : undefined;
    if (scaleOf) {
      out.push(await emit(t, scaleOf));
      pendingScales.delete(t.name);
    } else if (t.dataType === DataType.INT8 && t.name.endsWith('.q')) {
      const name = logicalName(t);
      const merged = await mergeLogical(name);
      const { q, scale } = quantizeColumns(merged, t.dims[0]!, t.dims[1]!);
      pendingScales.set(`${name}.scale`, asBytes(scale));
      out.push(await emit(t, asBytes(q)));
    } else if (t.dataType === DataType.FLOAT) {
      out.push(await emit(t, asBytes(await mergeLogical(t.name))));
    } else {
      // integer constants (axes, shapes): the same in every input
      out.push(await emit(t, await readIndexed(ref.byName.get(t.name)!, ref.graph, ref.external)));
    }
  }
  opts.onTensor?.(total, total, '');
  const model: Model = { ...outModel, graph: { ...outModel.graph, initializers: out } };
  return { graph: encodeModel(model), dataBytes, tensors: total, elements, largestTensorBytes: largest };
}

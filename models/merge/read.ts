// Reading the inputs of a merge: an ONNX graph indexed once, then any logical float
// tensor (a float initializer, or our quantizer's int8 `X.q` + `X.scale` pair) by row
// ranges, so that neither a merge nor AdaMerging's search holds a whole model.
import { type IndexedTensor, indexOnnx, type OnnxIndex, type RangeReader, readIndexed } from '../onnx/index.ts';
import { DataType } from '../onnx/model.ts';
import { dequantizeColumns } from '../quantize/int8.ts';

export interface MergeInput {
  graph: RangeReader;
  external: (location: string) => RangeReader;
}

export interface Opened extends MergeInput {
  index: OnnxIndex;
  byName: Map<string, IndexedTensor>;
}

export async function open(input: MergeInput): Promise<Opened> {
  const index = await indexOnnx(input.graph);
  return { ...input, index, byName: new Map(index.tensors.map((t) => [t.name, t])) };
}

export const product = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
const floats = (b: Uint8Array) =>
  b.byteOffset % 4 === 0 ? new Float32Array(b.buffer, b.byteOffset, b.length / 4) : new Float32Array(b.slice().buffer);

/** `length` bytes from `start` of a tensor's payload. */
async function readRange(m: Opened, t: IndexedTensor, start: number, length: number): Promise<Uint8Array> {
  if (start === 0 && t.source.length >= 0 && length === t.source.length) return readIndexed(t, m.graph, m.external);
  if (t.source.offset < 0) return t.data.subarray(start, start + length);
  const reader = t.source.location === null ? m.graph : m.external(t.source.location);
  return reader.read(t.source.offset + start, length);
}

/** Whether the input holds logical float tensor `name`. */
export function hasLogical(m: Opened, name: string): boolean {
  return m.byName.get(name)?.dataType === DataType.FLOAT || m.byName.get(`${name}.q`)?.dataType === DataType.INT8;
}

/** The logical float tensor `name` (a float initializer, or an int8 pair) of one input. */
export function logical(m: Opened, name: string): { dims: number[]; plain?: IndexedTensor; q?: IndexedTensor; scale?: IndexedTensor } {
  const plain = m.byName.get(name);
  if (plain?.dataType === DataType.FLOAT) return { dims: plain.dims, plain };
  const q = m.byName.get(`${name}.q`),
    scale = m.byName.get(`${name}.scale`);
  if (q?.dataType !== DataType.INT8 || !scale) throw new Error(`input has no float or int8 tensor "${name}"`);
  return { dims: q.dims, q, scale };
}

/** Rows [r0, r1) of logical tensor `name`, as floats we own (dequantized if int8). */
export async function readRows(m: Opened, name: string, r0: number, r1: number): Promise<Float32Array> {
  const l = logical(m, name);
  const rowLen = product(l.dims.slice(1));
  if (l.plain) return floats(await readRange(m, l.plain, r0 * rowLen * 4, (r1 - r0) * rowLen * 4)).slice();
  const qb = await readRange(m, l.q!, r0 * rowLen, (r1 - r0) * rowLen);
  const scale = floats(await readIndexed(l.scale!, m.graph, m.external));
  return dequantizeColumns(new Int8Array(qb.buffer, qb.byteOffset, qb.length), scale, r1 - r0, rowLen);
}

/** The whole logical tensor `name`. */
export async function readAll(m: Opened, name: string): Promise<Float32Array> {
  const dims = logical(m, name).dims;
  return readRows(m, name, 0, dims.length ? dims[0]! : 1);
}

// ONNX ModelProto as plain objects, encoded and decoded over ./wire. Tensor data is
// always kept as little-endian raw bytes; typed fields (float_data, int64_data, …) are
// converted on read, and raw_data is what we write, so a round trip is equivalent.
import { type Field, fields, ProtoError, readPackedInts, text, WIRE_LEN, Writer } from './wire.ts';

export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, FLOAT16: 10 } as const;
export type DataType = (typeof DataType)[keyof typeof DataType];
export const BYTES_PER_ELEMENT: Record<number, number> = { 1: 4, 2: 1, 3: 1, 6: 4, 7: 8, 10: 2 };

export interface ExternalRef {
  location: string;
  offset: number;
  length: number;
}
export interface Tensor {
  name: string;
  dataType: number;
  dims: number[];
  /** raw little-endian bytes; empty when `external` is set and not yet resolved */
  data: Uint8Array;
  external?: ExternalRef;
}
export interface Attribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: string;
  t?: Tensor;
  floats?: number[];
  ints?: number[];
  /** fields kept as read and written back as they were (strings, graphs, tensors) */
  other?: { field: number; bytes: Uint8Array }[];
}
export interface Node {
  opType: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  domain?: string;
  attributes?: Attribute[];
}
export interface ValueInfo {
  name: string;
  elemType: number;
  shape: (number | string)[];
}
export interface Graph {
  name: string;
  nodes: Node[];
  initializers: Tensor[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
}
export interface Model {
  irVersion: number;
  producerName: string;
  opsetImports: { domain: string; version: number }[];
  graph: Graph;
  metadata?: Record<string, string>;
}

export const AttrType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

// ---- encode -------------------------------------------------------------------------

function writeTensor(w: Writer, t: Tensor): void {
  w.packedInts(1, t.dims).int(2, t.dataType).string(8, t.name);
  if (t.external) {
    const entries: [string, string][] = [
      ['location', t.external.location],
      ['offset', String(t.external.offset)],
      ['length', String(t.external.length)],
    ];
    for (const [k, v] of entries) w.message(13, (e) => e.string(1, k).string(2, v));
    w.int(14, 1);
  } else {
    w.bytes(9, t.data);
  }
}

function writeAttribute(w: Writer, a: Attribute): void {
  w.string(1, a.name).int(20, a.type);
  if (a.f !== undefined) w.float(2, a.f);
  if (a.i !== undefined) w.int(3, a.i);
  if (a.s !== undefined) w.string(4, a.s);
  if (a.t) w.message(5, (x) => writeTensor(x, a.t!));
  if (a.floats) w.packedFloats(7, a.floats);
  if (a.ints) w.packedInts(8, a.ints);
  for (const o of a.other ?? []) w.bytes(o.field, o.bytes);
}

function writeValueInfo(w: Writer, v: ValueInfo): void {
  w.string(1, v.name).message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.int(1, v.elemType).message(2, (shape) => {
        for (const d of v.shape) {
          shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
        }
      }),
    ),
  );
}

export function encodeModel(m: Model): Uint8Array {
  const w = new Writer().int(1, m.irVersion).string(2, m.producerName);
  w.message(7, (g) => {
    for (const n of m.graph.nodes) {
      g.message(1, (x) => {
        for (const i of n.inputs) x.string(1, i);
        for (const o of n.outputs) x.string(2, o);
        if (n.name) x.string(3, n.name);
        x.string(4, n.opType);
        for (const a of n.attributes ?? []) x.message(5, (y) => writeAttribute(y, a));
        if (n.domain) x.string(7, n.domain);
      });
    }
    g.string(2, m.graph.name);
    for (const t of m.graph.initializers) g.message(5, (x) => writeTensor(x, t));
    for (const v of m.graph.inputs) g.message(11, (x) => writeValueInfo(x, v));
    for (const v of m.graph.outputs) g.message(12, (x) => writeValueInfo(x, v));
  });
  for (const o of m.opsetImports) w.message(8, (x) => x.string(1, o.domain).int(2, o.version));
  for (const [k, v] of Object.entries(m.metadata ?? {})) w.message(14, (x) => x.string(1, k).string(2, v));
  return w.finish();
}

// ---- decode -------------------------------------------------------------------------

const num = (f: Field): number => Number(BigInt.asIntN(64, f.int));
const float32 = (f: Field): number => {
  if (f.bytes.length !== 4) throw new ProtoError(`field ${f.field} should be a 4-byte float, has ${f.bytes.length} bytes`);
  return new DataView(f.bytes.buffer, f.bytes.byteOffset, 4).getFloat32(0, true);
};

function packedToRaw(f: Field, dataType: number): Uint8Array {
  const values = readPackedInts(f);
  const size = BYTES_PER_ELEMENT[dataType] ?? 8;
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => {
    if (size === 8) view.setBigInt64(i * 8, BigInt.asIntN(64, v), true);
    else if (size === 4) view.setInt32(i * 4, Number(BigInt.asIntN(32, v)), true);
    else if (size === 2) view.setUint16(i * 2, Number(v & 0xffffn), true);
    else view.setInt8(i, Number(BigInt.asIntN(8, v)));
  });
  return out;
}

/** Reads a TensorProto. `dataOffset` is where raw_data starts in the source buffer. */
export function readTensor(buf: Uint8Array, base = 0): Tensor & { dataOffset?: number } {
  const t: Tensor & { dataOffset?: number } = { name: '', dataType: 0, dims: [], data: new Uint8Array(0) };
  const ext: Record<string, string> = {};
  let typed: Field | undefined;
  for (const f of fields(buf, base)) {
    if (f.field === 1) t.dims.push(...readPackedInts(f).map((v) => Number(BigInt.asIntN(64, v))));
    else if (f.field === 2) t.dataType = num(f);
    else if (f.field === 8) t.name = text(f.bytes);
    else if (f.field === 9) {
      t.data = f.bytes;
      t.dataOffset = f.offset;
    } else if (f.field === 4)
      t.data = f.bytes.slice(); // packed float_data is already LE float32
    else if (f.field === 5 || f.field === 7) typed = f;
    else if (f.field === 13) {
      let k = '',
        v = '';
      for (const e of fields(f.bytes)) {
        if (e.field === 1) k = text(e.bytes);
        else if (e.field === 2) v = text(e.bytes);
      }
      ext[k] = v;
    }
  }
  if (typed) t.data = packedToRaw(typed, t.dataType);
  if (ext.location !== undefined) {
    t.external = { location: ext.location, offset: Number(ext.offset ?? 0), length: Number(ext.length ?? -1) };
  }
  return t;
}

function readAttribute(buf: Uint8Array): Attribute {
  const a: Attribute = { name: '', type: 0 };
  for (const f of fields(buf)) {
    if (f.field === 1) a.name = text(f.bytes);
    else if (f.field === 20) a.type = num(f);
    else if (f.field === 2) a.f = float32(f);
    else if (f.field === 3) a.i = num(f);
    else if (f.field === 4) a.s = text(f.bytes);
    else if (f.field === 5) a.t = readTensor(f.bytes);
    else if (f.field === 7) {
      // repeated fields come packed or one per occurrence (ONNX is proto2: unpacked by default)
      const view = new DataView(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
      a.floats = [...(a.floats ?? []), ...Array.from({ length: f.bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true))];
    } else if (f.field === 8) a.ints = [...(a.ints ?? []), ...readPackedInts(f).map((v) => Number(BigInt.asIntN(64, v)))];
    else if (f.wire === WIRE_LEN) a.other = [...(a.other ?? []), { field: f.field, bytes: f.bytes }];
  }
  return a;
}

function readValueInfo(buf: Uint8Array): ValueInfo {
  const v: ValueInfo = { name: '', elemType: 0, shape: [] };
  for (const f of fields(buf)) {
    if (f.field === 1) v.name = text(f.bytes);
    else if (f.field === 2) {
      for (const tt of fields(f.bytes)) {
        if (tt.field !== 1) continue;
        for (const t of fields(tt.bytes)) {
          if (t.field === 1) v.elemType = num(t);
          else if (t.field === 2) {
            for (const d of fields(t.bytes)) {
              let dim: number | string = '?';
              for (const x of fields(d.bytes)) dim = x.field === 1 ? num(x) : text(x.bytes);
              v.shape.push(dim);
            }
          }
        }
      }
    }
  }
  return v;
}

function readNode(buf: Uint8Array): Node {
  const n: Node = { opType: '', inputs: [], outputs: [], attributes: [] };
  for (const f of fields(buf)) {
    if (f.field === 1) n.inputs.push(text(f.bytes));
    else if (f.field === 2) n.outputs.push(text(f.bytes));
    else if (f.field === 3) n.name = text(f.bytes);
    else if (f.field === 4) n.opType = text(f.bytes);
    else if (f.field === 5) n.attributes!.push(readAttribute(f.bytes));
    else if (f.field === 7) n.domain = text(f.bytes);
  }
  return n;
}

export function decodeModel(buf: Uint8Array): Model {
  const m: Model = {
    irVersion: 0,
    producerName: '',
    opsetImports: [],
    metadata: {},
    graph: { name: '', nodes: [], initializers: [], inputs: [], outputs: [] },
  };
  let sawGraph = false;
  for (const f of fields(buf)) {
    if (f.field === 1) m.irVersion = num(f);
    else if (f.field === 2) m.producerName = text(f.bytes);
    else if (f.field === 8) {
      const o = { domain: '', version: 0 };
      for (const x of fields(f.bytes)) {
        if (x.field === 1) o.domain = text(x.bytes);
        else if (x.field === 2) o.version = num(x);
      }
      m.opsetImports.push(o);
    } else if (f.field === 14) {
      let k = '',
        v = '';
      for (const x of fields(f.bytes)) {
        if (x.field === 1) k = text(x.bytes);
        else if (x.field === 2) v = text(x.bytes);
      }
      m.metadata![k] = v;
    } else if (f.field === 7 && f.wire === WIRE_LEN) {
      sawGraph = true;
      const g = m.graph;
      for (const x of fields(f.bytes, f.offset)) {
        if (x.field === 1) g.nodes.push(readNode(x.bytes));
        else if (x.field === 2) g.name = text(x.bytes);
        else if (x.field === 5) g.initializers.push(readTensor(x.bytes, x.offset));
        else if (x.field === 11) g.inputs.push(readValueInfo(x.bytes));
        else if (x.field === 12) g.outputs.push(readValueInfo(x.bytes));
      }
    }
  }
  if (!sawGraph) throw new ProtoError('not an ONNX model: no graph field');
  return m;
}

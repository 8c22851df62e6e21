// An index of an ONNX file's initializers with byte offsets, built through range reads,
// so that one tensor can be read without parsing or holding the whole file (merges read
// tensors from R2 by range). Everything but initializer payloads (nodes, inputs, …) is
// small and decoded into a skeleton Model whose initializers carry no data.
import { decodeModel, type Model, readTensor, type Tensor } from './model.ts';
import { ProtoError, WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT, Writer } from './wire.ts';

export interface RangeReader {
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface IndexedTensor extends Tensor {
  /** where the payload lives: this file (raw_data at `offset`) or an external file */
  source: { location: string | null; offset: number; length: number };
}

export interface OnnxIndex {
  skeleton: Model;
  tensors: IndexedTensor[];
}

export const bytesReader = (bytes: Uint8Array): RangeReader => ({
  size: bytes.length,
  read: async (offset, length) => bytes.subarray(offset, offset + length),
});

/** Reads varints and small payloads through a window, so a walk costs few range reads. */
class Cursor {
  private buf: Uint8Array = new Uint8Array(0);
  private bufStart = 0;
  private readonly reader: RangeReader;
  pos: number;
  constructor(reader: RangeReader, pos: number) {
    this.reader = reader;
    this.pos = pos;
  }
  private async ensure(n: number): Promise<void> {
    if (this.pos >= this.bufStart && this.pos + n <= this.bufStart + this.buf.length) return;
    if (this.pos + n > this.reader.size) throw new ProtoError(`truncated: needs byte ${this.pos + n}, file has ${this.reader.size}`);
    this.bufStart = this.pos;
    this.buf = await this.reader.read(this.pos, Math.min(Math.max(n, 1 << 16), this.reader.size - this.pos));
  }
  async varint(): Promise<bigint> {
    let result = 0n,
      shift = 0n;
    for (;;) {
      await this.ensure(1);
      const b = this.buf[this.pos++ - this.bufStart]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
      shift += 7n;
      if (shift > 63n) throw new ProtoError(`varint too long at byte ${this.pos}`);
    }
  }
  async bytes(n: number): Promise<Uint8Array> {
    if (n > 1 << 16) {
      const out = await this.reader.read(this.pos, n);
      this.pos += n;
      return out;
    }
    await this.ensure(n);
    const out = this.buf.slice(this.pos - this.bufStart, this.pos - this.bufStart + n);
    this.pos += n;
    return out;
  }
  /** Next field: its number, wire type, and for LEN fields the payload's extent. */
  async field(): Promise<{ field: number; wire: number; start: number; length: number; int: bigint }> {
    const key = Number(await this.varint());
    const field = key >>> 3,
      wire = key & 7;
    if (field === 0) throw new ProtoError(`field number 0 at byte ${this.pos}`);
    if (wire === WIRE_VARINT) return { field, wire, start: this.pos, length: 0, int: await this.varint() };
    const length = wire === WIRE_LEN ? Number(await this.varint()) : wire === WIRE_I64 ? 8 : wire === WIRE_I32 ? 4 : -1;
    if (length < 0) throw new ProtoError(`unsupported wire type ${wire} at byte ${this.pos}`);
    if (this.pos + length > this.reader.size) throw new ProtoError(`field ${field} runs past the end of the file`);
    return { field, wire, start: this.pos, length, int: 0n };
  }
}

/** Re-emits a field as it was (tag + payload) so small parts can be decoded together. */
function reemit(w: Writer, f: { field: number; wire: number; int: bigint }, payload: Uint8Array): void {
  if (f.wire === WIRE_VARINT) w.int(f.field, f.int);
  else w.bytes(f.field, payload); // only LEN fields reach here at the levels we walk
}

export async function indexOnnx(reader: RangeReader): Promise<OnnxIndex> {
  const top = new Writer();
  const graph = new Writer();
  const tensors: IndexedTensor[] = [];
  const c = new Cursor(reader, 0);
  while (c.pos < reader.size) {
    const f = await c.field();
    if (f.field !== 7 || f.wire !== WIRE_LEN) {
      const payload = f.wire === WIRE_VARINT ? new Uint8Array(0) : await c.bytes(f.length);
      if (f.wire === WIRE_VARINT || f.wire === WIRE_LEN) reemit(top, f, payload);
      continue;
    }
    const end = f.start + f.length;
    while (c.pos < end) {
      const g = await c.field();
      if (g.field === 5 && g.wire === WIRE_LEN) {
        tensors.push(await indexTensor(c, g.start + g.length));
      } else {
        const payload = g.wire === WIRE_VARINT ? new Uint8Array(0) : await c.bytes(g.length);
        if (g.wire === WIRE_VARINT || g.wire === WIRE_LEN) reemit(graph, g, payload);
      }
    }
  }
  top.bytes(7, graph.finish());
  return { skeleton: decodeModel(top.finish()), tensors };
}

/** Reads one TensorProto's header, skipping (but locating) its raw_data payload. */
async function indexTensor(c: Cursor, end: number): Promise<IndexedTensor> {
  const header = new Writer();
  let raw: { offset: number; length: number } | undefined;
  while (c.pos < end) {
    const f = await c.field();
    if (f.field === 9 && f.wire === WIRE_LEN) {
      raw = { offset: f.start, length: f.length };
      c.pos = f.start + f.length;
    } else {
      const payload = f.wire === WIRE_VARINT ? new Uint8Array(0) : await c.bytes(f.length);
      if (f.wire === WIRE_VARINT || f.wire === WIRE_LEN) reemit(header, f, payload);
      else header.bytes(f.field, payload);
    }
  }
  const t = readTensor(header.finish());
  if (t.external) {
    return { ...t, source: { location: t.external.location, offset: t.external.offset, length: t.external.length } };
  }
  if (!raw) {
    // typed fields (float_data, …) were small enough to come along in the header
    return { ...t, source: { location: null, offset: -1, length: t.data.length } };
  }
  return { ...t, source: { location: null, ...raw } };
}

/** The bytes of one indexed tensor, from the graph file or its external-data file. */
export async function readIndexed(t: IndexedTensor, graph: RangeReader, external: (location: string) => RangeReader): Promise<Uint8Array> {
  if (t.source.offset < 0) return t.data;
  const reader = t.source.location === null ? graph : external(t.source.location);
  const length = t.source.length < 0 ? reader.size - t.source.offset : t.source.length;
  if (t.source.offset + length > reader.size) {
    throw new ProtoError(
      `tensor ${t.name} needs bytes ${t.source.offset}..${t.source.offset + length} of ${t.source.location ?? 'the graph'}, which has ${reader.size}`,
    );
  }
  return reader.read(t.source.offset, length);
}

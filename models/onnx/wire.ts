// Protobuf wire format, just the parts ONNX uses. Hand-written rather than protobufjs
// because workerd forbids the code generation protobufjs relies on, and because the
// initializer index needs byte offsets that a decoded object tree throws away.

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

export class ProtoError extends Error {}

export class Writer {
  private buf = new Uint8Array(1024);
  private pos = 0;

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    this.reserve(10);
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WIRE_I32);
    this.reserve(4);
    new DataView(this.buf.buffer).setFloat32(this.pos, value, true);
    this.pos += 4;
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.varint(value.length);
    this.reserve(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, write: (w: Writer) => void): this {
    const inner = new Writer();
    write(inner);
    return this.bytes(field, inner.finish());
  }

  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const inner = new Writer();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.finish());
  }

  packedFloats(field: number, values: readonly number[]): this {
    const data = new Uint8Array(values.length * 4);
    const view = new DataView(data.buffer);
    for (const [i, v] of values.entries()) view.setFloat32(i * 4, v, true);
    return this.bytes(field, data);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

export interface Field {
  field: number;
  wire: number;
  /** varint value (as bigint to keep int64 exact) */
  int: bigint;
  /** fixed32/fixed64 raw, or length-delimited payload */
  bytes: Uint8Array;
  /** absolute offset of `bytes` in the buffer the reader was built on */
  offset: number;
}

/** Iterates the fields of one message. Every read is bounds-checked so that truncated or
 * malformed input throws ProtoError instead of looping or reading garbage. */
export function* fields(buf: Uint8Array, base = 0): Generator<Field> {
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new ProtoError(`truncated varint at byte ${base + pos}`);
      const b = buf[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
      shift += 7n;
      if (shift > 63n) throw new ProtoError(`varint too long at byte ${base + pos}`);
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (field === 0) throw new ProtoError(`field number 0 at byte ${base + pos}`);
    const take = (n: number): Uint8Array => {
      if (n < 0 || pos + n > buf.length) {
        throw new ProtoError(`field ${field} needs ${n} bytes at byte ${base + pos}, ${buf.length - pos} left`);
      }
      const out = buf.subarray(pos, pos + n);
      pos += n;
      return out;
    };
    if (wire === WIRE_VARINT) {
      yield { field, wire, int: varint(), bytes: new Uint8Array(0), offset: base + pos };
    } else if (wire === WIRE_I64 || wire === WIRE_I32) {
      const offset = base + pos;
      yield { field, wire, int: 0n, bytes: take(wire === WIRE_I64 ? 8 : 4), offset };
    } else if (wire === WIRE_LEN) {
      const len = Number(varint());
      const offset = base + pos;
      yield { field, wire, int: 0n, bytes: take(len), offset };
    } else {
      throw new ProtoError(`unsupported wire type ${wire} for field ${field} at byte ${base + pos}`);
    }
  }
}

export function readPackedInts(f: Field): bigint[] {
  if (f.wire === WIRE_VARINT) return [f.int];
  const out: bigint[] = [];
  for (const v of fields(prefixVarints(f.bytes))) out.push(v.int);
  return out;
}

// Packed varints carry no tags; give each one a tag so `fields` can reuse its checks.
function prefixVarints(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length * 2);
  let o = 0;
  let start = true;
  for (const b of bytes) {
    if (start) out[o++] = 0x08;
    out[o++] = b;
    start = b < 0x80;
  }
  if (!start) throw new ProtoError('truncated packed varint');
  return out.subarray(0, o);
}

export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

// Conversions between typed arrays and ONNX tensors' little-endian raw bytes.
import { DataType, type Tensor } from './model.ts';

const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));

export const floatTensor = (name: string, dims: number[], v: Float32Array): Tensor => ({
  name,
  dataType: DataType.FLOAT,
  dims,
  data: bytesOf(v),
});
export const int8Tensor = (name: string, dims: number[], v: Int8Array): Tensor => ({
  name,
  dataType: DataType.INT8,
  dims,
  data: bytesOf(v),
});
export const int64Tensor = (name: string, dims: number[], v: number[]): Tensor => ({
  name,
  dataType: DataType.INT64,
  dims,
  data: bytesOf(BigInt64Array.from(v.map(BigInt))),
});

/** Float values of a FLOAT tensor (copied, so it is aligned whatever the source). */
export function floatsOf(t: Tensor): Float32Array {
  if (t.dataType !== DataType.FLOAT) throw new Error(`tensor ${t.name} is type ${t.dataType}, not float32`);
  return new Float32Array(t.data.slice().buffer);
}
export function int8sOf(t: Tensor): Int8Array {
  if (t.dataType !== DataType.INT8) throw new Error(`tensor ${t.name} is type ${t.dataType}, not int8`);
  return new Int8Array(t.data.slice().buffer);
}

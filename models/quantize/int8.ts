// Symmetric per-channel int8 quantization: q = round(w / scale), scale = max|w| / 127 per
// output channel, zero point 0. Symmetric keeps MatMulInteger free of weight zero points.

export interface Int8Weights { q: Int8Array; scale: Float32Array }

/** Quantizes a row-major [rows, cols] matrix with one scale per column (the output
 * channel of a [in, out] MatMul weight or of an embedding table's feature axis). */
export function quantizeColumns(w: Float32Array, rows: number, cols: number): Int8Weights {
  if (w.length !== rows * cols) throw new Error(`quantizeColumns: ${w.length} values is not ${rows}x${cols}`);
  const scale = new Float32Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) scale[c] = Math.max(scale[c]!, Math.abs(w[r * cols + c]!));
  }
  for (let c = 0; c < cols; c++) scale[c] = scale[c]! > 0 ? scale[c]! / 127 : 1;
  const q = new Int8Array(w.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = Math.round(w[r * cols + c]! / scale[c]!);
      q[r * cols + c] = v > 127 ? 127 : v < -127 ? -127 : v;
    }
  }
  return { q, scale };
}

export function dequantizeColumns(q: Int8Array, scale: Float32Array, rows: number, cols: number): Float32Array {
  const w = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) w[r * cols + c] = q[r * cols + c]! * scale[c]!;
  }
  return w;
}

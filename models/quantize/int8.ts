// Symmetric per-channel int8 quantization: q = round(w / scale), scale = max|w| / 127 per
// output channel, zero point 0. Symmetric keeps MatMulInteger free of weight zero points.

export interface Int8Weights {
  q: Int8Array;
  scale: Float32Array;
}

/** Quantizes a row-major [rows, cols] matrix with one scale per column (the output
 * channel of a [in, out] MatMul weight or of an embedding table's feature axis). */
export function quantizeColumns(w: Float32Array, rows: number, cols: number): Int8Weights {
  if (w.length !== rows * cols) throw new Error(`quantizeColumns: ${w.length} values is not ${rows}x${cols}`);
  const scale = new Float32Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) scale[c] = Math.max(scale[c]!, Math.abs(w[r * cols + c]!));
  }
  for (let c = 0; c < cols; c++) scale[c] = scaleOf(scale[c]!);
  return { q: quantizeWithScales(w, cols, scale), scale };
}

/** The scale for a column whose largest magnitude is `maxAbs`. */
export const scaleOf = (maxAbs: number): number => (maxAbs > 0 ? maxAbs / 127 : 1);

/** Quantizes rows of a [*, cols] matrix with scales fixed beforehand (a chunked merge
 * learns each column's range in one pass and quantizes in the next). */
export function quantizeWithScales(w: Float32Array, cols: number, scale: Float32Array): Int8Array {
  const q = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const v = Math.round(w[i]! / scale[i % cols]!);
    q[i] = Math.min(127, Math.max(-127, v));
  }
  return q;
}

export function dequantizeColumns(q: Int8Array, scale: Float32Array, rows: number, cols: number): Float32Array {
  const w = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) w[r * cols + c] = q[r * cols + c]! * scale[c]!;
  }
  return w;
}

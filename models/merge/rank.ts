// The r-th largest magnitude of a tensor that is only ever seen in chunks: an exact
// two-pass radix select on float32 bit patterns (for non-negative floats, bit order is
// value order). TIES and breadcrumbs need it to trim a task vector per tensor while a
// chunked merge never holds the whole tensor; besides the value, a trim needs how many
// values are larger and how many equal (to cut through a tie as the whole tensor would).
import type { RankedMagnitude } from './sparsify.ts';

const bitsOf = (v: number, view: DataView): number => {
  view.setFloat32(0, Math.abs(v));
  return view.getUint32(0);
};

/** Magnitudes at the given 1-based ranks from the top of |x| over every chunk (NaN skipped). */
export async function magnitudesAtRanks(chunks: () => AsyncIterable<Float32Array>, ranks: number[]): Promise<RankedMagnitude[]> {
  const view = new DataView(new ArrayBuffer(4));
  const high = new Float64Array(65536);
  for await (const c of chunks()) for (const v of c) if (!Number.isNaN(v)) high[bitsOf(v, view) >>> 16]!++;
  // for each rank: the high bin it falls in, and its rank within that bin
  const targets = ranks.map((r) => {
    let above = 0;
    for (let bin = 65535; bin >= 0; bin--) {
      if (above + high[bin]! >= r) return { bin, rank: r - above, above };
      above += high[bin]!;
    }
    return { bin: -1, rank: 0, above }; // fewer values than the rank: nothing qualifies
  });
  const bins = [...new Set(targets.map((t) => t.bin).filter((b) => b >= 0))];
  const low = new Map(bins.map((b) => [b, new Float64Array(65536)]));
  if (bins.length) {
    for await (const c of chunks()) {
      for (const v of c) {
        if (Number.isNaN(v)) continue;
        const bits = bitsOf(v, view);
        const h = low.get(bits >>> 16);
        if (h) h[bits & 0xffff]!++;
      }
    }
  }
  return targets.map(({ bin, rank, above: higherBins }) => {
    if (bin < 0) return { value: Infinity, greater: higherBins, equal: 0 };
    const h = low.get(bin)!;
    let above = 0;
    for (let b = 65535; b >= 0; b--) {
      if (above + h[b]! >= rank) {
        view.setUint32(0, (bin << 16) | b);
        return { value: view.getFloat32(0), greater: higherBins + above, equal: h[b]! };
      }
      above += h[b]!;
    }
    return { value: Infinity, greater: higherBins + above, equal: 0 };
  });
}

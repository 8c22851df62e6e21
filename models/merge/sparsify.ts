// The sparsifiers of schemas/merge-methods.ts, on one task vector (or a chunk of one),
// following mergekit/sparsify.py at the commit tests/fixtures/mergekit names.
//
// The magnitude trims keep a band of a tensor's values ordered by magnitude. mergekit
// finds it by sorting: TIES by `argsort(|x|, descending)[:k]`, breadcrumbs by
// `sort(|x|).indices[n_bot:-n_top]`. Among equal magnitudes, torch's CPU sort keeps index
// order for tensors of up to 16 values and is unspecified above that (a different kernel
// per CPU and device), so Chimera pins the order torch gives small tensors for every
// size: equal magnitudes stay in index order within the sort's direction. TIES thus
// keeps the lower indices of a tie it cuts through, breadcrumbs the higher ones at its
// lower edge and the lower ones at its upper edge.
//
// A chunked merge never holds a whole tensor, so a trim is stated as thresholds plus,
// for the (at most two) magnitudes a band's edges cut through, which of their equal
// values it keeps, counted in index order over the whole tensor.

import type { Sparsifier } from '../../schemas/merge-methods.ts';
import { fnv1a } from '../hash.ts';
import { seededRandom } from '../random.ts';

/** Positions [start, end) of the magnitude order (largest first) that a trim keeps;
 * equal magnitudes are in index order (`ascending`) or the reverse. */
export interface TrimBand {
  start: number;
  end: number;
  ties: 'ascending' | 'descending';
}

/** The band mergekit's trim keeps of an n-value tensor; undefined when it keeps all. */
export function trimBand(sparsify: Sparsifier, n: number, density: number, gamma: number): TrimBand | undefined {
  if (density >= 1 || (sparsify !== 'magnitude' && sparsify !== 'magnitude_outliers')) return undefined;
  // int() as mergekit counts; mergekit asserts k > 0 for TIES, Chimera keeps none (documented)
  const keep = Math.trunc(density * n);
  if (sparsify === 'magnitude') return { start: 0, end: keep, ties: 'ascending' };
  let top = Math.trunc(gamma * n);
  let bottom = n - keep - top;
  if (bottom < 0) {
    top += bottom; // fewer outliers dropped so that `density` is still met
    bottom = 0;
  }
  // the ascending sort keeps [bottom, n - top); mergekit's slice [bottom:-top] is empty when
  // top is 0, which drops the whole task vector of small tensors: Chimera keeps the band
  return { start: top, end: n - bottom, ties: 'descending' };
}

/** The ranks (1-based, largest first) whose magnitudes a band's edges need. */
export const bandRanks = (band: TrimBand): number[] => (band.start < band.end ? [band.start + 1, band.end] : []);

/** The magnitude at a rank, how many values are larger and how many equal to it. */
export interface RankedMagnitude {
  value: number;
  greater: number;
  equal: number;
}

/** Values equal to an edge magnitude: those whose ordinal among them (index order over
 * the whole tensor) is in [from, to) are kept; `before` counts them ahead of this chunk. */
export interface TrimEdge {
  value: number;
  count: number;
  from: number;
  to: number;
  before: number;
}

/** Keep |x| strictly between lower and upper, and the edges' kept values. */
export interface Trim {
  lower: number;
  upper: number;
  edges: TrimEdge[];
}

const KEEP_NONE: Trim = { lower: Infinity, upper: Infinity, edges: [] };

export function trimFrom(band: TrimBand, at: (rank: number) => RankedMagnitude): Trim {
  if (band.start >= band.end) return KEEP_NONE;
  const high = at(band.start + 1),
    low = at(band.end);
  const edge = (m: RankedMagnitude): TrimEdge => {
    // the band's positions within this magnitude's run [greater, greater + equal)
    const a = Math.max(band.start, m.greater) - m.greater;
    const b = Math.min(band.end, m.greater + m.equal) - m.greater;
    const [from, to] = band.ties === 'ascending' ? [a, b] : [m.equal - b, m.equal - a];
    // a zero delta adds nothing kept or not; dropping them all spares a chunked merge a pass
    return m.value === 0
      ? { value: 0, count: m.equal, from: 0, to: 0, before: 0 }
      : { value: m.value, count: m.equal, from, to, before: 0 };
  };
  return { lower: low.value, upper: high.value, edges: high.value === low.value ? [edge(high)] : [edge(high), edge(low)] };
}

/** Whether keeping an edge's values depends on their position (a tie the band cuts). */
export const edgeIsPartial = (e: TrimEdge): boolean => e.from < e.to && (e.from > 0 || e.to < e.count);

/** Zeroes what the trim drops, in place. */
export function applyTrim(delta: Float32Array, t: Trim): Float32Array {
  const seen = t.edges.map((e) => e.before);
  for (let j = 0; j < delta.length; j++) {
    const a = Math.abs(delta[j]!);
    if (a > t.lower && a < t.upper) continue;
    let keep = false;
    for (let g = 0; g < t.edges.length; g++) {
      const e = t.edges[g]!;
      if (a !== e.value) continue;
      const ordinal = seen[g]!++;
      keep = ordinal >= e.from && ordinal < e.to;
      break;
    }
    if (!keep) delta[j] = 0;
  }
  return delta;
}

/** The trim of a whole tensor in memory (a chunked merge finds the ranks by radix select). */
export function wholeTrim(delta: Float32Array, band: TrimBand): Trim {
  const sorted = Float32Array.from(delta, Math.abs).sort(); // ascending; NaN last
  let m = sorted.length;
  while (m > 0 && Number.isNaN(sorted[m - 1]!)) m--;
  const bound = (v: number, strict: boolean) => {
    let lo = 0,
      hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (strict ? sorted[mid]! <= v : sorted[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return trimFrom(band, (rank) => {
    if (rank > m) return { value: Infinity, greater: m, equal: 0 };
    const value = sorted[m - rank]!;
    const above = bound(value, true);
    return { value, greater: m - above, equal: above - bound(value, false) };
  });
}

/** DARE's keep-mask stream for one expert's tensor: element j of the tensor draws the
 * j-th value, wherever its chunk starts, so every chunking draws the same mask. */
export function randomKeeps(density: number, seed: number, name: string, expert: number, offset: number): () => boolean {
  // the mask depends on (seed, tensor name, expert), not on the order tensors come in
  const rnd = seededRandom(seed * 7919 + fnv1a(name) + expert * 104729, offset);
  return () => rnd() < density;
}

/** Zeroes what DARE drops, in place. */
export function applyRandom(delta: Float32Array, keeps: () => boolean): Float32Array {
  for (let j = 0; j < delta.length; j++) if (!keeps()) delta[j] = 0;
  return delta;
}

/** mergekit's `rescaled_masked_tensor` with the L1 norm: the factor that gives the kept
 * values the L1 norm of the whole task vector, or 1 below its eps (1e-7). Sums run in
 * float64 in element order, so a chunked merge that adds chunk by chunk gets the same. */
export function l1Rescale(before: number, after: number): number {
  const b = Math.fround(before),
    a = Math.fround(after);
  return b < 1e-7 || a < 1e-7 ? 1 : Math.fround(b / a);
}

/** Σ|x| added to `sum` element by element (chunks continue one running sum). */
export const l1 = (x: Float32Array, sum = 0): number => {
  for (const v of x) sum += Math.abs(v);
  return sum;
};

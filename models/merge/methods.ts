// Merge methods, one tensor at a time, with parameters named as mergekit names them.
// Every method but `average` works on task vectors (expert − base).
import { fnv1a } from '../hash.ts';
import { seededRandom } from '../random.ts';

export const METHODS = ['average', 'task_arithmetic', 'ties', 'dare_linear', 'dare_ties', 'breadcrumbs', 'breadcrumbs_ties'] as const;
export type MergeMethod = (typeof METHODS)[number];

export interface MergeParams {
  /** one per expert (default 1) */
  weights?: number[];
  /** scale of the merged task vector (default 1) */
  lambda?: number;
  /** fraction of each task vector kept (ties, dare, breadcrumbs; default 1) */
  density?: number;
  /** fraction of largest-magnitude deltas dropped (breadcrumbs; default 0.01) */
  gamma?: number;
  /** seed of DARE's random drop (default 0) */
  seed?: number;
}

export const needsBase = (m: MergeMethod): boolean => m !== 'average';

/** Keep deltas with lower <= |x| < upper. */
export interface Trim {
  lower: number;
  upper: number;
}

/** The magnitude ranks (1-based, from the top) that trimming a tensor of n values needs:
 * TIES keeps the top `density`; breadcrumbs drops the top `gamma`, then keeps `density`. */
export function trimRanks(method: MergeMethod, n: number, params: MergeParams): { lower?: number; upper?: number } | undefined {
  const density = params.density ?? 1;
  if (method === 'ties') return density >= 1 ? undefined : { lower: Math.round(n * density) };
  if (method === 'breadcrumbs' || method === 'breadcrumbs_ties') {
    const top = Math.round(n * (params.gamma ?? 0.01));
    const keep = Math.min(Math.round(n * density), n - top);
    return { lower: top + keep, ...(top > 0 ? { upper: top } : {}) };
  }
  return undefined;
}

/** A Trim from the magnitudes at those ranks (Infinity where a rank selects nothing). */
export function trimFrom(ranks: { lower?: number; upper?: number }, at: (rank: number) => number): Trim {
  return {
    lower: ranks.lower === undefined ? 0 : ranks.lower <= 0 ? Infinity : at(ranks.lower),
    upper: ranks.upper === undefined ? Infinity : at(ranks.upper),
  };
}

// The trims work in place: they own the delta arrays handed to them, which keeps a
// merge's peak memory at (experts + 2) tensors (or chunks).
function trim(delta: Float32Array, t: Trim): Float32Array {
  for (let j = 0; j < delta.length; j++) {
    const a = Math.abs(delta[j]!);
    if (a < t.lower || a >= t.upper) delta[j] = 0;
  }
  return delta;
}

function dareDrop(delta: Float32Array, density: number, seed: number, offset: number): Float32Array {
  if (density >= 1) return delta;
  const rnd = seededRandom(seed, offset);
  for (let j = 0; j < delta.length; j++) delta[j] = rnd() < density ? delta[j]! / density : 0;
  return delta;
}

/** Trims computed from the whole tensor in memory (a chunked merge computes them first). */
function wholeTrim(delta: Float32Array, ranks: { lower?: number; upper?: number }): Trim {
  const abs = delta.map(Math.abs).sort();
  return trimFrom(ranks, (r) => (r > abs.length ? Infinity : abs[abs.length - r]!));
}

/** Sign election and disjoint mean (TIES): per element, the sign of the weighted sum
 * wins, and the deltas that agree with it are averaged by their weights. */
function disjointMerge(deltas: Float32Array[], weights: number[]): Float32Array {
  const out = new Float32Array(deltas[0]!.length);
  for (let j = 0; j < out.length; j++) {
    let total = 0;
    for (let i = 0; i < deltas.length; i++) total += weights[i]! * deltas[i]![j]!;
    if (total === 0) continue;
    let sum = 0,
      wsum = 0;
    for (let i = 0; i < deltas.length; i++) {
      const d = deltas[i]![j]!;
      if (d !== 0 && d > 0 === total > 0) {
        sum += weights[i]! * d;
        wsum += weights[i]!;
      }
    }
    out[j] = wsum > 0 ? sum / wsum : 0;
  }
  return out;
}

function linearSum(deltas: Float32Array[], weights: number[]): Float32Array {
  const out = new Float32Array(deltas[0]!.length);
  deltas.forEach((d, i) => {
    for (let j = 0; j < out.length; j++) out[j]! += weights[i]! * d[j]!;
  });
  return out;
}

/** Merges one tensor, or a chunk of one: `offset` is the chunk's first element and
 * `trims` (one per expert) the thresholds computed over the whole tensor. It consumes
 * `experts` (they become task vectors in place). */
export function mergeTensor(
  method: MergeMethod,
  base: Float32Array | undefined,
  experts: Float32Array[],
  params: MergeParams = {},
  name = '',
  chunk: { offset?: number; trims?: Trim[] } = {},
): Float32Array {
  if (experts.length === 0) throw new Error('merge needs at least one expert');
  const weights = params.weights ?? experts.map(() => 1);
  if (weights.length !== experts.length) throw new Error(`${weights.length} weights for ${experts.length} experts`);
  const n = experts[0]!.length;
  if (experts.some((e) => e.length !== n) || (base && base.length !== n))
    throw new Error(`tensor ${name}: experts and base differ in size`);

  if (method === 'average') {
    const wsum = weights.reduce((a, b) => a + b, 0);
    return linearSum(
      experts,
      weights.map((w) => w / wsum),
    );
  }
  if (!base) throw new Error(`${method} needs a base model`);
  const lambda = params.lambda ?? 1;
  const density = params.density ?? 1;
  const deltas = experts.map((e) => {
    for (let j = 0; j < n; j++) e[j]! -= base[j]!;
    return e;
  });
  let merged: Float32Array;
  switch (method) {
    case 'task_arithmetic':
      merged = linearSum(deltas, weights);
      break;
    case 'dare_linear':
    case 'dare_ties': {
      const dropped = deltas.map((d, i) =>
        // the mask depends on (seed, tensor name, expert), not on the order tensors come in
        dareDrop(d, density, (params.seed ?? 0) * 7919 + fnv1a(name) + i * 104729, chunk.offset ?? 0),
      );
      merged = method === 'dare_linear' ? linearSum(dropped, weights) : disjointMerge(dropped, weights);
      break;
    }
    case 'ties':
    case 'breadcrumbs':
    case 'breadcrumbs_ties': {
      const ranks = trimRanks(method, n, params);
      const kept = ranks ? deltas.map((d, i) => trim(d, chunk.trims?.[i] ?? wholeTrim(d, ranks))) : deltas;
      merged = method === 'breadcrumbs' ? linearSum(kept, weights) : disjointMerge(kept, weights);
      break;
    }
  }
  for (let j = 0; j < n; j++) merged[j] = base[j]! + lambda * merged[j]!;
  return merged;
}

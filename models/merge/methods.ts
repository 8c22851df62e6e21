// Merge methods, one tensor at a time, composed from the table in
// schemas/merge-methods.ts as mergekit's generalized task arithmetic does it:
// task vectors → sparsify (and rescale) → consensus → weighted sum, normalised → × lambda
// → + base. `average` is mergekit's `linear`: the same pipeline over the weights
// themselves (a zero base). Arithmetic runs in float32 steps, as torch does on CPU, so
// results agree with mergekit's to rounding (tests/node/merge-parity.test.ts).
import { type MergeMethod, methodSpec, parameterDefaults } from '../../schemas/merge-methods.ts';
import { applyRandom, applyTrim, l1, l1Rescale, randomKeeps, type Trim, trimBand, wholeTrim } from './sparsify.ts';

export { METHODS, type MergeMethod } from '../../schemas/merge-methods.ts';

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
  /** divide by the sum of the contributing weights (default: the method's, as mergekit) */
  normalize?: boolean;
  /** AdaMerging: a coefficient per expert and layer (default), or per expert */
  layerwise?: boolean;
  /** AdaMerging: the coefficients' starting value (default 0.3) */
  init?: number;
  /** AdaMerging: most objective evaluations (default 300) */
  budget?: number;
}

export const needsBase = (m: MergeMethod): boolean => methodSpec(m).needsBase;

/** What a chunk of a tensor cannot see of one expert's whole task vector: its trim
 * (thresholds and tie counts before the chunk) and its rescale factor. */
export interface ExpertStats {
  trim?: Trim;
  rescale?: number;
}

/** The parameters a method uses, defaults filled in; those it does not take are ignored
 * (mergekit ignores density for task_arithmetic too). Weights are float32, as in torch. */
export function resolveParams(method: MergeMethod, params: MergeParams, experts: number) {
  const spec = methodSpec(method);
  const defaults = parameterDefaults(method);
  const pick = <K extends Exclude<keyof MergeParams, 'weights'>>(k: K, fallback: NonNullable<MergeParams[K]>) =>
    (spec.takes.includes(k) ? (params[k] ?? defaults[k]) : fallback) as NonNullable<MergeParams[K]>;
  const weights = (params.weights ?? Array.from({ length: experts }, () => 1)).map(Math.fround);
  if (weights.length !== experts) throw new Error(`${weights.length} weights for ${experts} experts`);
  return {
    spec,
    weights,
    lambda: pick('lambda', 1),
    density: pick('density', 1),
    gamma: pick('gamma', 0.01),
    seed: pick('seed', 0),
    normalize: pick('normalize', spec.normalize),
    layerwise: pick('layerwise', true),
    init: pick('init', 0.3),
    budget: pick('budget', 300),
  };
}
export type ResolvedParams = ReturnType<typeof resolveParams>;

/** Whether the method's sparsifier drops anything at these parameters (mergekit returns
 * the task vector untouched, unrescaled, at density ≥ 1). */
export const sparsifies = (r: ResolvedParams): boolean => r.spec.sparsify !== 'none' && r.density < 1;

/** Zeroes what the sparsifier drops of one expert's task vector (or a chunk at `offset`). */
export function sparsifyInPlace(r: ResolvedParams, delta: Float32Array, name: string, expert: number, offset: number, trim?: Trim) {
  if (!sparsifies(r)) return delta;
  if (r.spec.sparsify === 'random') return applyRandom(delta, randomKeeps(r.density, r.seed, name, expert, offset));
  const band = trimBand(r.spec.sparsify, delta.length, r.density, r.gamma);
  const t = trim ?? (band && wholeTrim(delta, band));
  return t ? applyTrim(delta, t) : delta;
}

/** Sign election (mergekit's `get_mask`, method "sum") and the masked, weighted sum: per
 * element the sign of the weighted sum wins, + when it is ≥ 0 (so an exact tie goes to +);
 * the divisor is the sum of the weights whose weighted delta has that sign (1 if none). */
function consensusSum(deltas: Float32Array[], weights: number[], normalize: boolean): Float32Array {
  const out = new Float32Array(deltas[0]!.length);
  for (let j = 0; j < out.length; j++) {
    let total = 0;
    for (let i = 0; i < deltas.length; i++) total = Math.fround(total + Math.fround(weights[i]! * deltas[i]![j]!));
    const majority = total >= 0 ? 1 : -1;
    let sum = 0,
      divisor = 0;
    for (let i = 0; i < deltas.length; i++) {
      const wd = Math.fround(weights[i]! * deltas[i]![j]!);
      if (Math.sign(wd) !== majority) continue;
      sum = Math.fround(sum + wd);
      divisor = Math.fround(divisor + weights[i]!);
    }
    out[j] = normalize ? sum / (divisor === 0 ? 1 : divisor) : sum;
  }
  return out;
}

/** The weighted sum; normalised by the sum of all weights (1 when that is below 1e-8). */
function weightedSum(deltas: Float32Array[], weights: number[], normalize: boolean): Float32Array {
  const out = new Float32Array(deltas[0]!.length);
  deltas.forEach((d, i) => {
    for (let j = 0; j < out.length; j++) out[j]! += Math.fround(weights[i]! * d[j]!);
  });
  if (normalize) {
    let divisor = 0;
    for (const w of weights) divisor = Math.fround(divisor + w);
    if (Math.abs(divisor) >= 1e-8) for (let j = 0; j < out.length; j++) out[j]! /= divisor;
  }
  return out;
}

/** Merges one tensor, or a chunk of one: `offset` is the chunk's first element and
 * `stats` (one per expert) what the chunk cannot see of the whole tensor. It consumes
 * `experts` (they become task vectors in place). */
export function mergeTensor(
  method: MergeMethod,
  base: Float32Array | undefined,
  experts: Float32Array[],
  params: MergeParams = {},
  name = '',
  chunk: { offset?: number; stats?: ExpertStats[] } = {},
): Float32Array {
  if (experts.length === 0) throw new Error('merge needs at least one expert');
  const r = resolveParams(method, params, experts.length);
  const n = experts[0]!.length;
  if (experts.some((e) => e.length !== n) || (base && base.length !== n))
    throw new Error(`tensor ${name}: experts and base differ in size`);
  if (r.spec.needsBase && !base) throw new Error(`${method} needs a base model`);
  if (!r.spec.needsBase && r.normalize && Math.abs(r.weights.reduce((a, w) => Math.fround(a + w), 0)) < 1e-8)
    throw new Error(`${method}: the weights sum to 0, so there is nothing to normalise by`);
  const origin = r.spec.needsBase ? base : undefined; // average merges the weights themselves

  const deltas = experts.map((e, i) => {
    if (origin) for (let j = 0; j < n; j++) e[j]! -= origin[j]!;
    if (!sparsifies(r)) return e;
    const stats = chunk.stats?.[i];
    const before = stats ? 0 : r.spec.rescale ? l1(e) : 0;
    sparsifyInPlace(r, e, name, i, chunk.offset ?? 0, stats?.trim);
    if (!r.spec.rescale) return e;
    const factor = stats?.rescale ?? l1Rescale(before, l1(e));
    if (factor !== 1) for (let j = 0; j < n; j++) e[j]! *= factor;
    return e;
  });
  const mixed = r.spec.consensus === 'sum' ? consensusSum(deltas, r.weights, r.normalize) : weightedSum(deltas, r.weights, r.normalize);
  const lambda = Math.fround(r.lambda);
  for (let j = 0; j < n; j++) {
    const scaled = lambda === 1 ? mixed[j]! : Math.fround(mixed[j]! * lambda);
    mixed[j] = origin ? origin[j]! + scaled : scaled;
  }
  return mixed;
}

// Merge methods as data, the way mergekit registers them (mergekit/merge_methods/
// registry.py): every method is a sparsifier, a consensus rule and a few defaults over
// one pipeline (sparsify → consensus → weighted sum, normalised → scaled by lambda).
// The engine (models/merge/methods.ts), the API's request schema (schemas/api/merges.ts)
// and the CLI (cli/commands/merge.ts) all read this table, so a method or a parameter
// range is stated once. Pure data: schemas/ must not import models/. AdaMerging is not
// mergekit's; it is the same pipeline (task arithmetic) with its per-expert (and
// per-layer) weights learned from unlabelled texts instead of given.

/** How a task vector is thinned before it is merged (mergekit's SparsificationMethod). */
export type Sparsifier =
  /** kept whole */
  | 'none'
  /** keep the int(density × n) largest magnitudes (TIES) */
  | 'magnitude'
  /** keep each value with probability density (DARE) */
  | 'random'
  /** drop the int(gamma × n) largest magnitudes, keep the next int(density × n) (breadcrumbs) */
  | 'magnitude_outliers';

/** How experts that disagree are reconciled (mergekit's ConsensusMethod). */
export type Consensus =
  /** every (weighted) delta is summed */
  | 'none'
  /** per element, the sign of the weighted sum wins (+ when the sum is ≥ 0); only deltas of that sign are summed (TIES) */
  | 'sum';

export type ParameterName = 'weight' | 'lambda' | 'density' | 'gamma' | 'seed' | 'normalize' | 'layerwise' | 'init' | 'budget';

export interface NumberParameter {
  kind: 'number' | 'integer';
  /** inclusive unless `exclusiveMin` */
  min?: number;
  exclusiveMin?: boolean;
  /** inclusive unless `exclusiveMax` */
  max?: number;
  exclusiveMax?: boolean;
  default: number;
  description: string;
}
export interface BooleanParameter {
  kind: 'boolean';
  /** absent for `normalize`, whose default is the method's `normalize` field */
  default?: boolean;
  description: string;
}
export type ParameterSpec = NumberParameter | BooleanParameter;

export const MERGE_PARAMETERS = {
  weight: {
    kind: 'number',
    min: 0,
    exclusiveMin: true,
    default: 1,
    description: "an expert's weight (one per expert)",
  },
  lambda: { kind: 'number', min: 0, max: 10, default: 1, description: 'scale of the merged task vector' },
  density: {
    kind: 'number',
    min: 0,
    exclusiveMin: true,
    max: 1,
    default: 1,
    description: 'fraction of each task vector kept (int(density × n) values of an n-value tensor for the magnitude trims)',
  },
  gamma: {
    kind: 'number',
    min: 0,
    max: 1,
    exclusiveMax: true,
    default: 0.01,
    description: 'fraction of the largest magnitudes dropped as outliers before density is kept',
  },
  seed: { kind: 'integer', default: 0, description: "seed of DARE's random drop (the same seed gives the same merge)" },
  normalize: { kind: 'boolean', description: 'divide the merged delta by the sum of the weights that contributed to it' },
  layerwise: {
    kind: 'boolean',
    default: true,
    description: 'learn a coefficient per expert and layer (true) or one per expert (false)',
  },
  init: { kind: 'number', min: 0, max: 1, default: 0.3, description: "every learned coefficient's starting value" },
  budget: {
    kind: 'integer',
    min: 1,
    max: 2000,
    default: 300,
    description: 'most evaluations of the objective (mean prediction entropy) the coefficient search may make',
  },
} as const satisfies Record<ParameterName, ParameterSpec>;

export interface MethodSpec {
  /** the method's name in mergekit; null for one mergekit does not have */
  mergekit: string | null;
  sparsify: Sparsifier;
  consensus: Consensus;
  /** merges task vectors (expert − base); without a base it merges the weights themselves */
  needsBase: boolean;
  /** default of `normalize` */
  normalize: boolean;
  /** after a sparsifier drops values, rescale what is left to the task vector's L1 norm
   * (mergekit's `rescale`, on by default for DARE; mergekit applies it with `RescaleNorm.l1`) */
  rescale: boolean;
  /** the experts' weights are learned by minimising the merged model's prediction
   * entropy on unlabelled texts, which the request must then give (AdaMerging) */
  learns?: 'entropy';
  /** the parameters a request may give; any other is refused */
  takes: readonly ParameterName[];
  summary: string;
}

export const MERGE_METHODS = {
  average: {
    mergekit: 'linear',
    sparsify: 'none',
    consensus: 'none',
    needsBase: false,
    normalize: true,
    rescale: false,
    takes: ['weight', 'normalize'],
    summary: 'weighted mean of the experts’ weights',
  },
  task_arithmetic: {
    mergekit: 'task_arithmetic',
    sparsify: 'none',
    consensus: 'none',
    needsBase: true,
    normalize: false,
    rescale: false,
    takes: ['weight', 'lambda', 'normalize'],
    summary: 'base + lambda × weighted sum of task vectors',
  },
  ties: {
    mergekit: 'ties',
    sparsify: 'magnitude',
    consensus: 'sum',
    needsBase: true,
    normalize: true,
    rescale: false,
    takes: ['weight', 'lambda', 'density', 'normalize'],
    summary: 'trim each task vector to its largest magnitudes, elect signs, mean of the agreeing deltas',
  },
  dare_linear: {
    mergekit: 'dare_linear',
    sparsify: 'random',
    consensus: 'none',
    needsBase: true,
    normalize: false,
    rescale: true,
    takes: ['weight', 'lambda', 'density', 'seed', 'normalize'],
    summary: 'drop task-vector values at random, rescale, weighted sum',
  },
  dare_ties: {
    mergekit: 'dare_ties',
    sparsify: 'random',
    consensus: 'sum',
    needsBase: true,
    normalize: false,
    rescale: true,
    takes: ['weight', 'lambda', 'density', 'seed', 'normalize'],
    summary: 'drop task-vector values at random, rescale, elect signs, sum of the agreeing deltas',
  },
  breadcrumbs: {
    mergekit: 'breadcrumbs',
    sparsify: 'magnitude_outliers',
    consensus: 'none',
    needsBase: true,
    normalize: false,
    rescale: false,
    takes: ['weight', 'lambda', 'density', 'gamma', 'normalize'],
    summary: 'drop the largest and the smallest magnitudes of each task vector, weighted sum',
  },
  breadcrumbs_ties: {
    mergekit: 'breadcrumbs_ties',
    sparsify: 'magnitude_outliers',
    consensus: 'sum',
    needsBase: true,
    normalize: false,
    rescale: false,
    takes: ['weight', 'lambda', 'density', 'gamma', 'normalize'],
    summary: 'breadcrumbs’ trim, then TIES’ sign election',
  },
  adamerging: {
    mergekit: null,
    sparsify: 'none',
    consensus: 'none',
    needsBase: true,
    normalize: false,
    rescale: false,
    learns: 'entropy',
    takes: ['layerwise', 'init', 'budget'],
    summary:
      'task arithmetic whose weights (per expert, or per expert and layer, in [0, 1]) are learned by minimising the merged model’s prediction entropy on unlabelled texts (AdaMerging, Yang et al. 2024)',
  },
} as const satisfies Record<string, MethodSpec>;

export type MergeMethod = keyof typeof MERGE_METHODS;
export const METHODS = Object.keys(MERGE_METHODS) as [MergeMethod, ...MergeMethod[]];

/** The method's table entry, typed as the general shape (not the literal one). */
export const methodSpec = (m: MergeMethod): MethodSpec => MERGE_METHODS[m];

/** Whether the method learns from unlabelled texts, which a request must then give. */
export const needsUnlabelled = (m: MergeMethod): boolean => methodSpec(m).learns !== undefined;

/** The methods that are mergekit's (the parity fixtures cover exactly these). */
export const MERGEKIT_METHODS = METHODS.filter((m) => methodSpec(m).mergekit !== null);

/** The parameters given in a request's `parameters` object (weights are per expert). */
export const requestParameters = (m: MergeMethod): ParameterName[] => methodSpec(m).takes.filter((p) => p !== 'weight');

/** A method's default for each parameter it takes. */
export function parameterDefaults(m: MergeMethod): Partial<Record<ParameterName, number | boolean>> {
  const spec = methodSpec(m);
  return Object.fromEntries(
    spec.takes.map((p) => {
      const param: ParameterSpec = MERGE_PARAMETERS[p];
      return [p, param.kind === 'boolean' ? (param.default ?? spec.normalize) : param.default];
    }),
  );
}

/** "0 < x ≤ 1", "integer", "true or false": a parameter's range in words. */
export function describeRange(p: ParameterName): string {
  const spec: ParameterSpec = MERGE_PARAMETERS[p];
  if (spec.kind === 'boolean') return 'true or false';
  if (spec.min === undefined && spec.max === undefined) return spec.kind === 'integer' ? 'an integer' : 'a number';
  const low = spec.min === undefined ? '' : `${spec.min} ${spec.exclusiveMin ? '<' : '≤'} `;
  const high = spec.max === undefined ? '' : ` ${spec.exclusiveMax ? '<' : '≤'} ${spec.max}`;
  return `${low}${p}${high}${spec.kind === 'integer' ? ', an integer' : ''}`;
}

/** Whether a number lies in a numeric parameter's range (the API checks the same with zod). */
export function inRange(p: ParameterName, v: number): boolean {
  const spec: ParameterSpec = MERGE_PARAMETERS[p];
  if (spec.kind === 'boolean' || !Number.isFinite(v) || (spec.kind === 'integer' && !Number.isSafeInteger(v))) return false;
  if (spec.min !== undefined && (spec.exclusiveMin ? v <= spec.min : v < spec.min)) return false;
  return spec.max === undefined || (spec.exclusiveMax ? v < spec.max : v <= spec.max);
}

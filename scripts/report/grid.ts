// The settings the merge report tries for each method on the holdout. The summing methods
// add six task vectors, so lambda near 1/6 is what averaging does; 1 is plain addition.
import type { MergeMethod, MergeParams } from '../../models/merge/methods.ts';

export const LAMBDAS = [0.2, 0.3, 0.5, 1],
  DENSITIES = [0.2, 0.5, 0.8];
const byLambda = (extra: (l: number) => MergeParams[]) => LAMBDAS.flatMap(extra);
export const GRID: Record<MergeMethod, MergeParams[]> = {
  average: [{}],
  task_arithmetic: byLambda((lambda) => [{ lambda }]),
  ties: byLambda((lambda) => DENSITIES.map((density) => ({ lambda, density }))),
  dare_linear: byLambda((lambda) => DENSITIES.map((density) => ({ lambda, density, seed: 0 }))),
  dare_ties: byLambda((lambda) => DENSITIES.map((density) => ({ lambda, density, seed: 0 }))),
  breadcrumbs: byLambda((lambda) => DENSITIES.map((density) => ({ lambda, density, gamma: 0.01 }))),
  breadcrumbs_ties: byLambda((lambda) => DENSITIES.map((density) => ({ lambda, density, gamma: 0.01 }))),
  adamerging: [{ layerwise: true }, { layerwise: false }],
};

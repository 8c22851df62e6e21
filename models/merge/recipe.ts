// What a merged model's recipe inherits from its inputs' recipes, so that `chimera eval`
// can check a merge against its dev set as it checks a trained model: every data file
// the base or an expert was trained on (path and sha256), and the rule that cut their
// training rows against the evaluation sets, when they share one.
import type { Manifest } from '../../schemas/manifest.ts';
import type { AdaMergingResult } from './adamerging.ts';

interface DataRecord {
  path: string;
  sha256: string;
  rows?: number;
}

const isDataRecord = (x: unknown): x is DataRecord =>
  typeof x === 'object' && x !== null && typeof (x as DataRecord).path === 'string' && typeof (x as DataRecord).sha256 === 'string';

export function inheritedRecipe(inputs: (Manifest | undefined)[]): { data?: DataRecord[]; decontamination?: unknown } {
  const recipes = inputs.map((m) => m?.recipe ?? {});
  const seen = new Map<string, DataRecord>();
  for (const r of recipes)
    for (const d of Array.isArray(r.data) ? r.data : []) if (isDataRecord(d)) seen.set(`${d.path}\u0000${d.sha256}`, d);
  if (seen.size === 0) return {};
  // a cut applies to the merge only when every input was trained under the same one
  const cuts = new Set(recipes.map((r) => JSON.stringify(r.decontamination ?? null)));
  const decontamination = cuts.size === 1 ? recipes[0]!.decontamination : undefined;
  return { data: [...seen.values()], ...(decontamination === undefined ? {} : { decontamination }) };
}

/** AdaMerging's result as a recipe records it: the coefficients the merge used (group →
 * one per expert, in the order of the recipe's experts), and the objective. */
export const adaMergingRecipe = (r: AdaMergingResult, unlabelled: Record<string, unknown>) => ({
  layerwise: r.layerwise,
  coefficients: r.coefficients,
  objective: { name: 'mean prediction entropy (nats)', ...r.objective },
  unlabelled: { texts: r.texts, ...unlabelled },
});

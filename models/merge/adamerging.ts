// AdaMerging (Yang et al., ICLR 2024): task arithmetic whose coefficients are learned,
// not guessed, by making the merged model sure of itself on unlabelled inputs: minimise
// the entropy of its predictions, one coefficient per expert (task-wise) or per expert
// and layer (layer-wise), each in [0, 1] as in the paper. The paper follows the gradient;
// here a compass search does, which needs only the objective: with 6–12 coefficients and
// a forward pass of well under a second it reaches a minimum in a few hundred passes.
//
// The forward pass runs in TypeScript on the multitask graph (models/multitask/graph.ts:
// embedding bag → ReLU layers → heads), the graph Chimera trains, so the search also runs
// inside a Worker. It is cheap because merging is linear: the pooled embedding of a text
// under coefficients c is P₀ + Σᵢ cᵢ·Pᵢ, where P₀ pools the base's rows and Pᵢ expert i's
// task vector rows, and those are computed once, streaming the table in row blocks.
import { meanEntropy, poolTexts } from './entropy.ts';
import { hasLogical, logical, type Opened, readAll } from './read.ts';

export interface UnlabelledText {
  ids: number[];
  /** the head whose predictions count for this text; none: every head's */
  task?: string;
}

export interface AdaMergingOptions {
  /** a coefficient per expert and layer (true) or per expert (false) */
  layerwise: boolean;
  /** every coefficient's starting value */
  init: number;
  /** most objective evaluations */
  budget: number;
  chunkElements?: number;
}

export interface AdaMergingResult {
  layerwise: boolean;
  /** group (a layer, or "all") → one coefficient per expert */
  coefficients: Record<string, number[]>;
  /** mean prediction entropy (nats) at the start and at the end, and the best after each sweep */
  objective: { initial: number; final: number; evaluations: number; sweeps: number[] };
  texts: number;
}

/** The layer a tensor belongs to: its name less a trailing `.w` or `.b`. */
export const layerOf = (name: string) => name.replace(/\.[wb]$/, '');

const HEAD = /^head\.(.+)\.w(\.q)?$/;

/** The learned coefficients of one tensor, one per expert. */
export function coefficientsFor(r: Pick<AdaMergingResult, 'layerwise' | 'coefficients'>, name: string): number[] {
  const c = r.coefficients[r.layerwise ? layerOf(name) : 'all'];
  if (!c) throw new Error(`AdaMerging learned no coefficients for tensor "${name}"`);
  return c;
}

export async function learnCoefficients(
  base: Opened,
  experts: Opened[],
  carried: Record<string, number>,
  texts: UnlabelledText[],
  o: AdaMergingOptions,
): Promise<AdaMergingResult> {
  if (!hasLogical(base, 'embedding') || !hasLogical(base, 'layer0.w'))
    throw new Error('AdaMerging runs the merged model in TypeScript and knows only the multitask graph (embedding bag, layers, heads)');
  if (texts.length === 0) throw new Error('AdaMerging needs unlabelled texts');
  const heads = [...base.byName.keys()].flatMap((n) => HEAD.exec(n)?.[1] ?? []);
  for (const t of texts) if (t.task !== undefined && !heads.includes(t.task)) throw new Error(`no head "${t.task}" in the model`);
  const layers: string[] = [];
  while (hasLogical(base, `layer${layers.length}.w`)) layers.push(`layer${layers.length}`);
  const merged = [...layers.flatMap((l) => [`${l}.w`, `${l}.b`]), ...heads.flatMap((h) => [`head.${h}.w`, `head.${h}.b`])].filter(
    (n) => carried[n] === undefined,
  );
  const groups = o.layerwise ? [...new Set(['embedding', ...merged.map(layerOf)])] : ['all'];
  const k = experts.length;
  const pooled = await poolTexts(base, experts, texts, o.chunkElements ?? 1 << 20);

  // the small tensors whole: base and task vectors of the merged ones, carried heads as they are
  const small = new Map<string, { base: Float32Array; deltas: Float32Array[] }>();
  for (const name of merged) {
    const b = await readAll(base, name);
    const deltas = await Promise.all(
      experts.map(async (e) => {
        const d = await readAll(e, name);
        for (let j = 0; j < d.length; j++) d[j]! -= b[j]!;
        return d;
      }),
    );
    small.set(name, { base: b, deltas });
  }
  const fixed = new Map<string, Float32Array>();
  for (const [name, i] of Object.entries(carried)) if (hasLogical(base, name)) fixed.set(name, await readAll(experts[i]!, name));
  const dims = (name: string) => logical(base, name).dims;

  const objective = (x: number[]): number => {
    const coef = (name: string) => {
      const g = o.layerwise ? groups.indexOf(layerOf(name)) : 0;
      return x.slice(g * k, g * k + k);
    };
    const tensor = (name: string) => {
      const f = fixed.get(name);
      if (f) return f;
      const s = small.get(name)!,
        c = coef(name);
      const out = s.base.slice();
      s.deltas.forEach((d, i) => {
        for (let j = 0; j < out.length; j++) out[j]! += c[i]! * d[j]!;
      });
      return out;
    };
    const net = layers.map((l) => ({ w: tensor(`${l}.w`), b: tensor(`${l}.b`), out: dims(`${l}.w`)[1]! }));
    const head = Object.fromEntries(heads.map((h) => [h, { w: tensor(`head.${h}.w`), b: tensor(`head.${h}.b`) }]));
    return meanEntropy(pooled, coef('embedding'), net, head, texts, heads);
  };

  const start = Array.from({ length: groups.length * k }, () => o.init);
  const found = compassSearch(objective, start, o.budget);
  const coefficients = Object.fromEntries(groups.map((g, i) => [g, found.x.slice(i * k, i * k + k)]));
  return {
    layerwise: o.layerwise,
    coefficients,
    objective: { initial: found.initial, final: found.f, evaluations: found.evaluations, sweeps: found.sweeps },
    texts: texts.length,
  };
}

/** Compass search on [0, 1]ⁿ: try ± step on each coordinate, keep any improvement,
 * halve the step after a sweep that found none. Never accepts a worse point, so the
 * objective only goes down. */
export function compassSearch(f: (x: number[]) => number, start: number[], budget: number, step = 0.1, minStep = 1 / 256) {
  let x = start.slice();
  const initial = f(x);
  let best = initial,
    evaluations = 1;
  const sweeps: number[] = [];
  while (step >= minStep && evaluations < budget) {
    let improved = false;
    for (let k = 0; k < x.length && evaluations < budget; k++) {
      for (const s of [step, -step]) {
        // rounded, so that 0.3 + 7 × 0.1 is 1 and not 0.9999999999999999
        const v = Math.min(1, Math.max(0, Math.round((x[k]! + s) * 1e9) / 1e9));
        if (v === x[k] || evaluations >= budget) continue;
        const y = x.slice();
        y[k] = v;
        const fy = f(y);
        evaluations++;
        if (fy < best) {
          x = y;
          best = fy;
          improved = true;
          break;
        }
      }
    }
    sweeps.push(best);
    if (!improved) step /= 2;
  }
  return { x, f: best, initial, evaluations, sweeps };
}

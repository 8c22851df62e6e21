// Deterministic random weights for the multitask graph, apart from the package builder
// (and the schemas it validates with): the Worker's warm-up model (models/warm-up.ts)
// builds from these at startup, before the API's schemas are set up.
import { seededRandom } from '../random.ts';
import type { Dense, MultitaskWeights } from './graph.ts';

export interface FixtureShape {
  vocab: number;
  dim: number;
  hidden: number[];
  tasks: Record<string, string[]>;
}

export const FIXTURE_TASKS: Record<string, string[]> = {
  sentiment: ['negative', 'positive'],
  subjectivity: ['subjective', 'objective'],
  topic: ['world', 'sports', 'business', 'science'],
};

export function fixtureWeights(seed: number, shape: FixtureShape): MultitaskWeights {
  const rnd = seededRandom(seed);
  const values = (n: number, scale: number) => Float32Array.from({ length: n }, () => (rnd() * 2 - 1) * scale);
  const dense = (inDim: number, outDim: number): Dense => ({
    inDim,
    outDim,
    w: values(inDim * outDim, Math.sqrt(6 / (inDim + outDim))),
    b: values(outDim, 0.1),
  });
  let width = shape.dim;
  const layers = shape.hidden.map((h) => {
    const layer = dense(width, h);
    width = h;
    return layer;
  });
  const heads = Object.fromEntries(Object.entries(shape.tasks).map(([t, labels]) => [t, dense(width, labels.length)]));
  return { vocab: shape.vocab, dim: shape.dim, embedding: values(shape.vocab * shape.dim, 1), layers, heads };
}

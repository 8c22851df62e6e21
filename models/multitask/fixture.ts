// Deterministic random-weight multitask models for tests, benchmarks and first runs:
// the same graph and tokenizer as the trained demo models, so every code path is real.

import { buildPackage, type ModelPackage } from '../package.ts';
import { quantizeModel } from '../quantize/graph.ts';
import { buildMultitaskModel, EMBEDDING_TASK, encoderOutput, headInitializers } from './graph.ts';
import { FIXTURE_TASKS, type FixtureShape, fixtureWeights } from './weights.ts';

export async function fixturePackage(opts: {
  name: string;
  seed?: number;
  int8?: boolean;
  shape?: Partial<FixtureShape>;
  external?: boolean;
  /** serve the encoder's output as task `embedding` too (as the demo model does); with
   * `matryoshka`, the lengths it may be cut to */
  embedding?: boolean | { matryoshka: number[] };
}): Promise<ModelPackage> {
  const shape: FixtureShape = { vocab: 4096, dim: 32, hidden: [64], tasks: FIXTURE_TASKS, ...opts.shape };
  const int8 = opts.int8 ?? true;
  const fp32 = buildMultitaskModel(fixtureWeights(opts.seed ?? 1, shape));
  const model = int8 ? quantizeModel(fp32) : fp32;
  return buildPackage(
    model,
    {
      name: opts.name,
      version: `fixture-${opts.seed ?? 1}`,
      description: 'Random-weight multitask fixture (same graph and tokenizer as the demo models).',
      quantization: int8 ? 'int8' : 'none',
      input: {
        kind: 'text',
        tokenizer: { type: 'hashed-ngrams', buckets: shape.vocab, ngrams: [1, 2], lowercase: true, maxTokens: 256 },
        tensors: { ids: 'ids', weights: 'weights' },
      },
      tasks: {
        ...Object.fromEntries(
          Object.entries(shape.tasks).map(([task, labels]) => [
            task,
            { output: task, kind: 'classification' as const, labels, head: headInitializers(task) },
          ]),
        ),
        ...(opts.embedding
          ? {
              embedding: {
                output: encoderOutput(shape.hidden.length),
                ...EMBEDDING_TASK,
                ...(typeof opts.embedding === 'object' ? { matryoshka: opts.embedding.matryoshka } : {}),
              },
            }
          : {}),
      },
    },
    { external: opts.external },
  );
}

// Turns trained SentEval weights into model packages (fp32 or int8).
import { buildMultitaskModel, EMBEDDING_TASK, encoderOutput, headInitializers, type MultitaskWeights } from '../models/multitask/graph.ts';
import { buildPackage, type ModelPackage } from '../models/package.ts';
import { quantizeModel } from '../models/quantize/graph.ts';
import type { HashedNgramsParams } from '../models/text/hashed-ngrams.ts';
import { TASKS, type TaskName } from './senteval.ts';

export function sentevalPackage(
  name: string,
  w: MultitaskWeights,
  opts: {
    int8: boolean;
    tokenizer: HashedNgramsParams;
    description: string;
    recipe: Record<string, unknown>;
  },
): Promise<ModelPackage> {
  const fp32 = buildMultitaskModel(w);
  return buildPackage(opts.int8 ? quantizeModel(fp32) : fp32, {
    name,
    version: String(opts.recipe.version ?? '1'),
    description: opts.description,
    quantization: opts.int8 ? 'int8' : 'none',
    input: { kind: 'text', tokenizer: { type: 'hashed-ngrams', ...opts.tokenizer }, tensors: { ids: 'ids', weights: 'weights' } },
    tasks: {
      ...Object.fromEntries(
        Object.keys(w.heads).map((t) => [
          t,
          {
            output: t,
            kind: 'classification' as const,
            labels: [...TASKS[t as TaskName].labels],
            head: headInitializers(t),
          },
        ]),
      ),
      embedding: { output: encoderOutput(w.layers.length), ...EMBEDDING_TASK },
    },
    recipe: opts.recipe,
  });
}

import { z } from '@hono/zod-openapi';
import { AliasName } from '../names.ts';
import { Count, DEFAULT_LIMITS, VERSION_EXCLUDES_ALIAS, VersionNumber } from './common.ts';
import type { ProblemType } from './problems.ts';

/** What running a version on text can answer, whichever route asks (POST, GET, a pinned
 * version): the version and its tasks, the text, and the model's bytes and load. */
export const MODEL_RUN_ERRORS = [
  'model-not-found',
  'version-not-found',
  'task-not-found',
  'text-too-long',
  'bad-inputs',
  'model-integrity',
  'model-too-large',
  'model-load',
] as const satisfies readonly ProblemType[];

const TensorItem = z
  .record(z.string(), z.array(z.number()))
  .openapi({ description: 'one input of a tensor model: each named tensor flattened (batch axis excluded)' });

// MAX_TEXT_CHARS counts Unicode code points, as JSON Schema's maxLength does
const Text = z.string().openapi({
  maxLength: DEFAULT_LIMITS.textChars,
  description: `at most MAX_TEXT_CHARS (${DEFAULT_LIMITS.textChars}) code points, else 422 text-too-long`,
});

const inputList = <T extends z.ZodType>(item: T) => z.array(item).min(1).openapi({ maxItems: DEFAULT_LIMITS.inputs });

export const TextPair = z
  .object({ text: Text, text_pair: Text })
  .strict()
  .openapi('TextPair', {
    description: `two texts read together (NLI, similarity, reranking), joined by the tokenizer's pair template; at most MAX_TEXT_CHARS (${DEFAULT_LIMITS.textChars}) code points together`,
  });

export const InferBody = z
  .object({
    inputs: z
      .union([inputList(z.union([Text, TextPair])), inputList(TensorItem)], {
        error: 'give 1..N texts (or {text, text_pair} pairs), or 1..N objects of named tensors',
      })
      .openapi({
        example: ['a gripping, beautifully shot film'],
        description: `texts or text pairs, or named tensors for tensor-input models; at most MAX_INPUTS (${DEFAULT_LIMITS.inputs}) per request, else 413 too-many-inputs`,
      }),
    tasks: z
      .array(z.string())
      .min(1)
      .optional()
      .openapi({ description: 'the heads to run (default: all); the encoder runs once whatever the count' }),
    version: VersionNumber.optional().openapi({ description: 'pin a version number (not with alias)' }),
    alias: AliasName.optional().openapi({ description: 'route through an alias (default prod; not with version)' }),
  })
  .refine((b) => !(b.version !== undefined && b.alias !== undefined), { message: 'give version or alias, not both', path: ['version'] })
  .openapi('InferRequest', VERSION_EXCLUDES_ALIAS);
export type InferBody = z.infer<typeof InferBody>;

export const TaskResult = z
  .union([
    z.object({ label: z.string(), score: z.number(), scores: z.record(z.string(), z.number()) }),
    z.object({ labels: z.array(z.string()), scores: z.record(z.string(), z.number()) }),
    z.object({ values: z.array(z.number()) }),
  ])
  .openapi('TaskResult', {
    description: 'classification: label, score, scores; multilabel: labels, scores; regression and embedding: values',
  });

export const InferResponse = z
  .object({
    model: z.string(),
    version: VersionNumber,
    alias: z.string().nullable().openapi({ description: 'the alias that chose the version; null when the request pinned one' }),
    backend: z.enum(['wasm', 'webgpu']),
    results: z.array(z.record(z.string(), TaskResult)).openapi({ description: 'one entry per input, keyed by task' }),
    usage: z.object({ items: Count, input_tokens: Count }),
    timing: z.object({
      total_ms: z.number(),
      tokenize_ms: z.number(),
      run_ms: z.number(),
      load_ms: z.number().nullable().openapi({ description: 'set when this request loaded the model (cold start)' }),
    }),
  })
  .openapi('InferResponse');
export type InferResponse = z.infer<typeof InferResponse>;

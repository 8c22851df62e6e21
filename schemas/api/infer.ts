import { z } from '@hono/zod-openapi';
import { AliasName } from '../names.ts';

const TensorItem = z
  .record(z.string(), z.array(z.number()))
  .openapi({ description: 'one input of a tensor model: each named tensor flattened (batch axis excluded)' });

export const TextPair = z
  .object({ text: z.string(), text_pair: z.string() })
  .strict()
  .openapi('TextPair', { description: "two texts read together (NLI, similarity, reranking), joined by the tokenizer's pair template" });

export const InferBody = z
  .object({
    inputs: z
      .union([z.array(z.union([z.string(), TextPair])).min(1), z.array(TensorItem).min(1)], {
        error: 'give 1..N texts (or {text, text_pair} pairs), or 1..N objects of named tensors',
      })
      .openapi({
        example: ['a gripping, beautifully shot film'],
        description: 'texts or text pairs, or named tensors for tensor-input models',
      }),
    tasks: z
      .array(z.string())
      .min(1)
      .optional()
      .openapi({ description: 'the heads to run (default: all); the encoder runs once whatever the count' }),
    version: z.number().int().positive().optional().openapi({ description: 'pin a version number' }),
    alias: AliasName.optional().openapi({ description: 'route through an alias (default prod)' }),
  })
  .refine((b) => !(b.version !== undefined && b.alias !== undefined), { message: 'give version or alias, not both', path: ['version'] })
  .openapi('InferRequest');
export type InferBody = z.infer<typeof InferBody>;

const TaskResult = z
  .union([
    z.object({ label: z.string(), score: z.number(), scores: z.record(z.string(), z.number()) }),
    z.object({ labels: z.array(z.string()), scores: z.record(z.string(), z.number()) }),
    z.object({ values: z.array(z.number()) }),
  ])
  .openapi('TaskResult');

export const InferResponse = z
  .object({
    model: z.string(),
    version: z.number().int(),
    alias: z.string().nullable(),
    backend: z.enum(['wasm', 'webgpu']),
    results: z.array(z.record(z.string(), TaskResult)).openapi({ description: 'one entry per input, keyed by task' }),
    usage: z.object({ items: z.number().int(), input_tokens: z.number().int() }),
    timing: z.object({
      total_ms: z.number(),
      tokenize_ms: z.number(),
      run_ms: z.number(),
      load_ms: z.number().nullable().openapi({ description: 'set when this request loaded the model (cold start)' }),
    }),
  })
  .openapi('InferResponse');
export type InferResponse = z.infer<typeof InferResponse>;

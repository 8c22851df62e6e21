// The model package manifest, stored beside the ONNX file(s) and in each version's row.
import { z } from 'zod';
import { ModelName } from './names.ts';

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256');

export const ManifestFile = z.object({
  role: z.enum(['graph', 'external-data', 'tokenizer']),
  /** the name the graph refers to (external data `location`) or the package file name */
  path: z.string().min(1).max(200),
  sha256: Sha256,
  bytes: z.number().int().nonnegative(),
});

export const HashedNgramsTokenizer = z.object({
  type: z.literal('hashed-ngrams'),
  /** size of the embedding table; id 0 is padding, so ids run 1..buckets-1 */
  buckets: z
    .number()
    .int()
    .min(2)
    .max(1 << 24),
  /** n-gram orders to emit, e.g. [1, 2] for words and word pairs */
  ngrams: z.array(z.number().int().min(1).max(5)).min(1),
  lowercase: z.boolean().default(true),
  maxTokens: z.number().int().min(1).max(4096).default(256),
});

export const TokenizerJson = z.object({
  type: z.literal('tokenizer.json'),
  /** path of the tokenizer.json file in `files` */
  file: z.string(),
  /** the most tokens a text (or pair) takes, special tokens included; longer ones are
   * truncated as the tokenizers library does (pairs longest first) */
  maxTokens: z.number().int().min(1).max(4096).default(128),
  /** the id padding takes (default: the tokenizer's padding or pad token, else 0) */
  padId: z.number().int().nonnegative().optional(),
});

export const TextInput = z.object({
  kind: z.literal('text'),
  tokenizer: z.discriminatedUnion('type', [HashedNgramsTokenizer, TokenizerJson]),
  /** graph input names: token ids (int64), and any of mean-pooling weights (float, 1/n
   * per token), an attention mask (int64) and token type ids (int64: 0 for a single text,
   * segment ids for a pair) */
  tensors: z.object({
    ids: z.string(),
    weights: z.string().optional(),
    mask: z.string().optional(),
    type_ids: z.string().optional(),
  }),
});

export const TensorSpec = z.object({
  name: z.string(),
  dtype: z.enum(['float32', 'int64', 'int32']),
  /** -1 (or a name) for a dynamic axis; axis 0 is the batch */
  shape: z.array(z.union([z.number().int(), z.string()])),
});
export const TensorInput = z.object({ kind: z.literal('tensors'), tensors: z.array(TensorSpec).min(1) });

export const Task = z.object({
  output: z.string(),
  kind: z.enum(['classification', 'multilabel', 'regression', 'embedding']),
  labels: z.array(z.string()).optional(),
  /** initializers that belong to this task's head alone (merges carry them from the
   * expert trained for the task) */
  head: z.array(z.string()).optional(),
  /** how an output of [batch, tokens, hidden] becomes one vector per input: the mean over
   * real tokens (the attention mask's), the first token's, or none (default: the output is
   * already [batch, …]) */
  pooling: z.enum(['none', 'mean', 'cls']).optional(),
  /** scale each vector to unit L2 norm (embeddings) */
  normalize: z.boolean().optional(),
  /** embeddings trained to be cut short (Matryoshka): the lengths a caller may ask for
   * (OpenAI's `dimensions`); the vector is cut, then scaled to unit norm again */
  matryoshka: z.array(z.number().int().min(1).max(65_536)).optional(),
  description: z.string().optional(),
});

export const Manifest = z
  .object({
    schema: z.literal('chimera.model/v1'),
    name: ModelName,
    version: z.string().min(1).max(64),
    description: z.string().max(2000).optional(),
    quantization: z.enum(['none', 'int8']),
    files: z.array(ManifestFile).min(1),
    input: z.discriminatedUnion('kind', [TextInput, TensorInput]),
    tasks: z.record(z.string().regex(/^[a-z0-9_-]+$/), Task),
    /** how the model was made (training run, merge recipe, …) */
    recipe: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((m, ctx) => {
    // rules across fields: every reader of a manifest may rely on them
    const graphs = m.files.filter((f) => f.role === 'graph').length;
    if (graphs !== 1) {
      ctx.addIssue({ code: 'custom', path: ['files'], message: `a manifest names exactly one graph file; this one names ${graphs}` });
    }
    const paths = m.files.map((f) => f.path);
    if (new Set(paths).size !== paths.length) ctx.addIssue({ code: 'custom', path: ['files'], message: 'file paths must be unique' });
    if (m.input.kind === 'text' && m.input.tokenizer.type === 'tokenizer.json') {
      const file = m.input.tokenizer.file;
      if (!m.files.some((f) => f.role === 'tokenizer' && f.path === file)) {
        ctx.addIssue({
          code: 'custom',
          path: ['input', 'tokenizer', 'file'],
          message: `the tokenizer file "${file}" is not among the files (role tokenizer)`,
        });
      }
    }
  });
export type Manifest = z.infer<typeof Manifest>;
export type ManifestFile = z.infer<typeof ManifestFile>;
export type TextInput = z.infer<typeof TextInput>;
export type TensorInput = z.infer<typeof TensorInput>;
export type Task = z.infer<typeof Task>;

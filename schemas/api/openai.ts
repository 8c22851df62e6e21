// The OpenAI-compatible surface (/openai/v1, issue 16): the wire shapes OpenAI's SDKs
// send and read, for embeddings, models, files and batches. Field names and values are
// OpenAI's, instants are Unix seconds as there, and errors have OpenAI's shape. Unknown
// fields are accepted and ignored, as clients send their own extras.
import { z } from '@hono/zod-openapi';
import type { BATCH_STATUSES } from '../vocabulary.ts';
import { BatchMetadata } from './batches.ts';
import { Count, DEFAULT_LIMITS, pathId } from './common.ts';
import { WebhookTarget } from './webhooks.ts';

/** inputs one embeddings request may carry, as OpenAI allows */
export const MAX_EMBEDDING_INPUTS = 2048;

export const OpenAiError = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string().openapi({
        description: 'invalid_request_error, authentication_error, permission_error, not_found_error, rate_limit_error, server_error',
      }),
      param: z.string().nullable(),
      code: z.string().nullable().openapi({ description: "Chimera's problem type, with underscores (model_not_found, rate_limited, …)" }),
    }),
  })
  .openapi('OpenAiError', { description: "OpenAI's error shape: the body of every error on /openai/v1" });
export type OpenAiError = z.infer<typeof OpenAiError>;

const ModelString = z.string().min(1).max(120).openapi({
  description: 'a Chimera model, "model@alias" (default prod), or "model@alias#task" for a model with several embedding tasks',
  example: 'senteval-multitask',
});

const Text = z.string().openapi({ maxLength: DEFAULT_LIMITS.textChars });

export const EmbeddingsRequest = z
  .object({
    model: ModelString,
    input: z
      .union([Text, z.array(Text).min(1).max(MAX_EMBEDDING_INPUTS), z.array(z.number().int()), z.array(z.array(z.number().int()))])
      .openapi({
        description: `a text or up to ${MAX_EMBEDDING_INPUTS} texts (run MAX_INPUTS at a time); token arrays are refused: Chimera tokenizes with the model's own tokenizer`,
      }),
    encoding_format: z
      .enum(['float', 'base64'])
      .default('float')
      .openapi({ description: 'base64: little-endian float32, as OpenAI sends it' }),
    dimensions: z
      .number()
      .int()
      .min(1)
      .optional()
      .openapi({ description: "the vector's full length, or one its model was trained to be cut to (manifest: matryoshka)" }),
    user: z.string().optional().openapi({ description: 'accepted and ignored' }),
  })
  .openapi('EmbeddingsRequest');
export type EmbeddingsRequest = z.infer<typeof EmbeddingsRequest>;

export const Embedding = z.object({
  object: z.literal('embedding'),
  index: Count,
  embedding: z.union([z.array(z.number()), z.string()]).openapi({ description: 'floats, or base64 of little-endian float32' }),
});
export const EmbeddingsResponse = z
  .object({
    object: z.literal('list'),
    data: z.array(Embedding),
    model: z.string(),
    usage: z.object({ prompt_tokens: Count, total_tokens: Count }),
  })
  .openapi('EmbeddingsResponse');
export type EmbeddingsResponse = z.infer<typeof EmbeddingsResponse>;

export const OpenAiModel = z
  .object({
    id: z.string().openapi({ description: '"model" (its prod alias) or "model@alias"' }),
    object: z.literal('model'),
    created: z.number().int().openapi({ description: 'Unix seconds' }),
    owned_by: z.string().openapi({ description: '"chimera" for public models, else your tenant' }),
  })
  .openapi('OpenAiModel');
export const OpenAiModelList = z.object({ object: z.literal('list'), data: z.array(OpenAiModel) }).openapi('OpenAiModelList');
export const OpenAiModelParams = z.object({ model: pathId('model', 'a model id as listed') });

/** A page of a list as OpenAI pages them: `after` the last id, `has_more`. */
const listOf = <T extends z.ZodTypeAny>(item: T) =>
  z.object({
    object: z.literal('list'),
    data: z.array(item),
    has_more: z.boolean(),
    first_id: z.string().nullable(),
    last_id: z.string().nullable(),
  });

export const OpenAiFile = z
  .object({
    id: z.string(),
    object: z.literal('file'),
    bytes: Count,
    created_at: z.number().int(),
    filename: z.string(),
    purpose: z.enum(['batch', 'batch_output']),
    status: z.literal('processed'),
    expires_at: z.number().int().nullable(),
  })
  .openapi('OpenAiFile');
export const OpenAiFileList = listOf(OpenAiFile).openapi('OpenAiFileList');
export const OpenAiFileParams = z.object({ file_id: pathId('file_id', 'a file id') });
export const OpenAiDeleted = z.object({ id: z.string(), object: z.literal('file'), deleted: z.boolean() }).openapi('OpenAiFileDeleted');
export const ListQuery = z.object({
  after: z.string().optional().openapi({ description: 'the last id of the previous page' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const CreateOpenAiBatch = z
  .object({
    input_file_id: z.string().min(1),
    endpoint: z.string().openapi({ description: 'only /v1/embeddings is served' }),
    completion_window: z
      .string()
      .regex(/^([1-9]|[1-9]\d|1[0-5]\d|16[0-8])h$/, 'hours, as "24h" (1h to 168h)')
      .openapi({ description: 'the deadline, "24h" as OpenAI takes; 1h to 168h here' }),
    metadata: BatchMetadata.nullable().optional(),
    webhook: WebhookTarget.optional().openapi({ description: "Chimera's extension: signed batch.* webhooks, as for /v1/batches" }),
  })
  .openapi('CreateOpenAiBatch');
export type CreateOpenAiBatch = z.infer<typeof CreateOpenAiBatch>;

export const OPENAI_BATCH_STATUSES = ['validating', 'in_progress', 'completed', 'failed', 'cancelled', 'expired'] as const;
/** Chimera's batch states, as OpenAI names them */
export const OPENAI_STATUS: Record<(typeof BATCH_STATUSES)[number], (typeof OPENAI_BATCH_STATUSES)[number]> = {
  validating: 'validating',
  queued: 'in_progress',
  running: 'in_progress',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  expired: 'expired',
};
const At = z.number().int().nullable();
export const OpenAiBatch = z
  .object({
    id: z.string(),
    object: z.literal('batch'),
    endpoint: z.string(),
    model: z.string(),
    errors: z
      .object({
        object: z.literal('list'),
        data: z.array(z.object({ code: z.string(), message: z.string(), line: z.number().int().nullable(), param: z.string().nullable() })),
      })
      .nullable(),
    input_file_id: z.string(),
    completion_window: z.string(),
    status: z.enum(OPENAI_BATCH_STATUSES),
    output_file_id: z.string().nullable(),
    error_file_id: z.string().nullable(),
    created_at: z.number().int(),
    in_progress_at: At,
    expires_at: At,
    completed_at: At,
    failed_at: At,
    expired_at: At,
    cancelled_at: At,
    request_counts: z.object({ total: Count, completed: Count, failed: Count }),
    metadata: z.record(z.string(), z.string()).nullable(),
  })
  .openapi('OpenAiBatch');
export type OpenAiBatch = z.infer<typeof OpenAiBatch>;
export const OpenAiBatchList = listOf(OpenAiBatch).openapi('OpenAiBatchList');
export const OpenAiBatchParams = z.object({ batch_id: pathId('batch_id', 'a batch id') });

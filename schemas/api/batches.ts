import { z } from '@hono/zod-openapi';
import { AliasName, ModelName } from '../names.ts';
import { BATCH_STATUSES } from '../vocabulary.ts';
import { WebhookTarget } from './webhooks.ts';

const Item = z.union([z.string(), z.object({ custom_id: z.string().min(1).max(200).optional(), input: z.string() })]);

export const CreateBatch = z
  .object({
    model: ModelName.openapi({ example: 'senteval-multitask' }),
    version: z.number().int().positive().optional(),
    alias: AliasName.optional(),
    tasks: z.array(z.string()).min(1).optional(),
    inputs: z.array(Item).min(1).optional().openapi({ description: 'inline inputs: texts, or {custom_id, input}' }),
    input_file: z
      .string()
      .optional()
      .openapi({ description: 'a file id from POST /v1/files (JSONL, one {"custom_id", "input"} per line)' }),
    webhook: WebhookTarget.optional(),
    metadata: z.record(z.string(), z.string().max(500)).optional(),
    completion_window_s: z
      .number()
      .int()
      .min(60)
      .max(7 * 86_400)
      .optional()
      .openapi({ description: 'the deadline (default a day): chunks not run by then are skipped and the batch is expired' }),
  })
  .refine((b) => (b.inputs === undefined) !== (b.input_file === undefined), {
    message: 'give inputs or input_file (one of them)',
    path: ['inputs'],
  })
  .refine((b) => !(b.version !== undefined && b.alias !== undefined), { message: 'give version or alias, not both', path: ['version'] })
  .openapi('CreateBatch');
export type CreateBatch = z.infer<typeof CreateBatch>;

export const Batch = z
  .object({
    id: z.string(),
    model: z.string(),
    version: z.number().int(),
    tasks: z.array(z.string()),
    status: z.enum(BATCH_STATUSES),
    counts: z.object({
      total: z.number().int(),
      completed: z.number().int(),
      failed: z.number().int(),
      invalid: z.number().int().openapi({ description: 'malformed input lines (see /errors)' }),
    }),
    metadata: z.record(z.string(), z.string()).nullable(),
    error: z.string().nullable(),
    created_at: z.string(),
    expires_at: z.string(),
  })
  .openapi('Batch');
export const BatchList = z.object({ batches: z.array(Batch) }).openapi('BatchList');
export const BatchParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });

export const FileObject = z
  .object({ id: z.string(), bytes: z.number().int(), lines: z.number().int(), created_at: z.string() })
  .openapi('File');

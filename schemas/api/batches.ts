import { z } from '@hono/zod-openapi';
import { AliasName, ModelName } from '../names.ts';
import { BATCH_STATUSES } from '../vocabulary.ts';
import { Count, DEFAULT_LIMITS, pathId, Timestamp, VERSION_EXCLUDES_ALIAS, VersionNumber } from './common.ts';
import { TaskResult } from './infer.ts';
import { WebhookTarget } from './webhooks.ts';

const CustomId = z.string().min(1).max(200);
/** One input with its id: an item of CreateBatch.inputs, and each line of a JSONL input file. */
export const BatchInput = z
  .object({
    custom_id: CustomId.optional().openapi({ description: 'your id for the input, echoed on its result (default: its line)' }),
    input: z.string(),
  })
  .openapi('BatchInput');
/** CreateBatch.inputs, and the inputs of an inbound hook. */
export const BatchItems = z.array(z.union([z.string(), BatchInput])).min(1);
/** Labels of a batch: returned with it, and in its webhooks. */
export const BatchMetadata = z.record(z.string(), z.string().max(500));

export const CreateBatch = z
  .object({
    model: ModelName.openapi({ example: 'senteval-multitask' }),
    version: VersionNumber.optional().openapi({ description: 'pin a version (not with alias)' }),
    alias: AliasName.optional().openapi({ description: 'route through an alias (default prod; not with version)' }),
    tasks: z.array(z.string()).min(1).optional().openapi({ description: 'the heads to run (default: all)' }),
    inputs: BatchItems.optional().openapi({
      maxItems: DEFAULT_LIMITS.batchInline,
      description: `inline inputs: texts, or {custom_id, input}; at most MAX_BATCH_INLINE (${DEFAULT_LIMITS.batchInline}), else 413 (upload a file for more). Give inputs or input_file.`,
    }),
    input_file: z
      .string()
      .optional()
      .openapi({ description: 'a file id from POST /v1/files (JSONL, one {"custom_id", "input"} per line). Give inputs or input_file.' }),
    webhook: WebhookTarget.optional(),
    metadata: BatchMetadata.optional().openapi({ description: 'your own labels, returned with the batch' }),
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
  .openapi('CreateBatch', {
    // the two refinements above, stated for clients and generators (version excludes alias)
    oneOf: [{ required: ['inputs'] }, { required: ['input_file'] }],
    ...VERSION_EXCLUDES_ALIAS,
  });
export type CreateBatch = z.infer<typeof CreateBatch>;

export const Batch = z
  .object({
    id: z.string(),
    model: z.string(),
    version: VersionNumber,
    tasks: z.array(z.string()),
    status: z.enum(BATCH_STATUSES).openapi({ description: 'queued → running → completed | failed | cancelled | expired' }),
    counts: z.object({
      total: Count.openapi({ description: 'valid inputs' }),
      completed: Count,
      failed: Count,
      invalid: Count.openapi({ description: 'malformed input lines (see /errors)' }),
    }),
    metadata: z.record(z.string(), z.string()).nullable(),
    error: z.string().nullable(),
    created_at: Timestamp,
    expires_at: Timestamp,
  })
  .openapi('Batch');
export const BatchList = z.object({ batches: z.array(Batch) }).openapi('BatchList');
export const BatchParams = z.object({ id: pathId('id', 'the batch id') });

export const FileObject = z
  .object({
    id: z.string().openapi({ description: 'give it as input_file to POST /v1/batches' }),
    bytes: Count,
    lines: Count,
    created_at: Timestamp,
  })
  .openapi('File');

/** One line of GET /v1/batches/{id}/results. */
export const BatchResultLine = z
  .object({
    custom_id: z.string().openapi({ description: 'as given, else the line (input position) as a string' }),
    line: z.number().int().min(1).openapi({ description: 'the input line (1-based)' }),
    results: z.record(z.string(), TaskResult).openapi({ description: 'keyed by task' }),
  })
  .openapi('BatchResultLine', { description: 'one line of a batch result file (JSONL): one per input that ran, in input order' });

/** One line of GET /v1/batches/{id}/errors. */
export const BatchErrorLine = z
  .object({
    line: z.number().int().min(1).openapi({ description: 'the input line (1-based)' }),
    custom_id: z.string().nullable().openapi({ description: 'null when the line could not be read' }),
    error: z.string(),
  })
  .openapi('BatchErrorLine', { description: 'one line of a batch error file (JSONL): a malformed input line, or an input that failed' });

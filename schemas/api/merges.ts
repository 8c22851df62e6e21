import { z } from '@hono/zod-openapi';
import { METHODS } from '../../models/merge/methods.ts';
import { ModelName } from './models.ts';

export const CreateMerge = z
  .object({
    model: ModelName.openapi({
      param: undefined,
      description: 'your model: base and experts are its versions, and the result becomes its next version',
    }),
    base: z.number().int().positive().optional().openapi({ description: 'base version (required by every method but average)' }),
    experts: z
      .array(z.object({ version: z.number().int().positive(), weight: z.number().positive().optional() }))
      .min(1)
      .max(8),
    method: z.enum(METHODS),
    parameters: z
      .object({
        lambda: z.number().min(0).max(10).optional(),
        density: z.number().gt(0).max(1).optional(),
        gamma: z.number().min(0).lt(1).optional(),
        seed: z.number().int().optional(),
      })
      .strict()
      .default({}),
    quantize: z.boolean().default(false).openapi({ description: 'int8 output from float inputs (int8 inputs always give int8)' }),
    alias: z
      .string()
      .regex(/^[a-z0-9_-]{1,32}$/)
      .optional()
      .openapi({ description: 'point this alias at the result' }),
    webhook: z
      .object({ url: z.string().url(), events: z.array(z.string()).optional() })
      .optional()
      .openapi({ description: 'merge.completed / merge.failed, signed per Standard Webhooks' }),
  })
  .refine((b) => b.method === 'average' || b.base !== undefined, { message: 'this method needs a base version', path: ['base'] })
  .openapi('CreateMerge');
export type CreateMerge = z.infer<typeof CreateMerge>;

export const MergeJob = z
  .object({
    id: z.string(),
    model: z.string(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    progress: z.number().min(0).max(1),
    attempts: z.number().int(),
    error: z.string().nullable(),
    version: z.number().int().nullable().openapi({ description: 'the version the merge produced' }),
    request: z.record(z.string(), z.unknown()),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('MergeJob');

export const MergeParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });

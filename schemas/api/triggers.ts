import { z } from '@hono/zod-openapi';
import { AliasName, ModelName } from '../names.ts';
import { WebhookTarget } from './webhooks.ts';

export const BatchTemplate = z
  .object({
    model: ModelName,
    version: z.number().int().positive().optional(),
    alias: AliasName.optional(),
    tasks: z.array(z.string()).min(1).optional(),
    webhook: WebhookTarget.optional(),
  })
  .strict();

export const CreateTrigger = z
  .object({
    name: z.string().min(1).max(100),
    batch: BatchTemplate.openapi({ description: 'the batch each hook starts; the hook body brings its inputs' }),
  })
  .openapi('CreateTrigger');
export type CreateTrigger = z.infer<typeof CreateTrigger>;

export const Trigger = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.string(),
    secret: z.string().openapi({ description: 'whsec_…: the sender signs each hook with it (Standard Webhooks)' }),
    batch: z.record(z.string(), z.unknown()),
    created_at: z.string(),
  })
  .openapi('Trigger');
export const TriggerList = z.object({ triggers: z.array(Trigger) }).openapi('TriggerList');

export const HookBody = z
  .object({
    inputs: z
      .array(z.union([z.string(), z.object({ custom_id: z.string().optional(), input: z.string() })]))
      .min(1)
      .optional(),
    input_file: z.string().optional(),
    metadata: z.record(z.string(), z.string()).optional(),
  })
  .refine((b) => (b.inputs === undefined) !== (b.input_file === undefined), { message: 'give inputs or input_file (one of them)' });
export const TriggerParams = z.object({ trigger: z.string().openapi({ param: { name: 'trigger', in: 'path' } }) });

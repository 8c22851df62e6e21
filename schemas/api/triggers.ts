import { z } from '@hono/zod-openapi';
import { AliasName, ModelName } from '../names.ts';
import { BatchItems, BatchMetadata } from './batches.ts';
import { pathId, Timestamp, VERSION_EXCLUDES_ALIAS, VersionNumber } from './common.ts';
import { WebhookTarget } from './webhooks.ts';

export const BatchTemplate = z
  .object({
    model: ModelName,
    version: VersionNumber.optional(),
    alias: AliasName.optional(),
    tasks: z.array(z.string()).min(1).optional(),
    webhook: WebhookTarget.optional(),
  })
  .strict()
  .openapi('BatchTemplate', {
    description: 'the batch a trigger starts (as POST /v1/batches takes it, without inputs)',
    ...VERSION_EXCLUDES_ALIAS,
  });

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
    url: z.string().openapi({ description: 'where the sender POSTs: /v1/hooks/{id}' }),
    secret: z.string().openapi({ description: 'whsec_…: the sender signs each hook with it (Standard Webhooks)' }),
    batch: BatchTemplate,
    created_at: Timestamp,
  })
  .openapi('Trigger');
export const TriggerList = z.object({ triggers: z.array(Trigger) }).openapi('TriggerList');

export const HookBody = z
  .object({
    inputs: BatchItems.optional(),
    input_file: z.string().optional().openapi({ description: 'a file id from POST /v1/files' }),
    metadata: BatchMetadata.optional().openapi({ description: 'added to the batch (with the trigger id)' }),
  })
  .refine((b) => (b.inputs === undefined) !== (b.input_file === undefined), { message: 'give inputs or input_file (one of them)' })
  .openapi('HookBody', {
    description: "the JSON body of an inbound hook: the inputs of the batch its trigger starts (the trigger's id is added to metadata)",
    oneOf: [{ required: ['inputs'] }, { required: ['input_file'] }],
  });
export const TriggerParams = z.object({ trigger: pathId('trigger', 'the trigger id') });

import { z } from '@hono/zod-openapi';
import { ModelName } from '../names.ts';

// TODO(architecture): schemas/api/merges.ts still imports ModelName from here
export { ModelName };

export const ModelParams = z.object({ model: ModelName.openapi({ param: { name: 'model', in: 'path' }, example: 'senteval-multitask' }) });

export const TaskSummary = z.object({
  kind: z.enum(['classification', 'multilabel', 'regression', 'embedding']),
  labels: z.array(z.string()).optional(),
});

export const ModelSummary = z
  .object({
    name: z.string(),
    owner: z.enum(['public', 'tenant']),
    description: z.string(),
    latest_version: z.number().int().nullable(),
    aliases: z.record(z.string(), z.array(z.object({ version: z.number().int(), weight: z.number() }))),
  })
  .openapi('ModelSummary');

export const ModelVersion = z.object({
  version: z.number().int(),
  sha256: z.string(),
  bytes: z.number().int(),
  created_at: z.string(),
  tasks: z.record(z.string(), TaskSummary),
  quantization: z.string(),
});

export const ModelDetail = ModelSummary.extend({
  manifest: z.record(z.string(), z.unknown()).openapi({ description: 'the manifest of the version prod points at (else the latest)' }),
  versions: z.array(ModelVersion),
}).openapi('ModelDetail');

export const ModelList = z.object({ models: z.array(ModelSummary) }).openapi('ModelList');

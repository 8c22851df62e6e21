import { z } from '@hono/zod-openapi';
import { Sha256 } from '../manifest.ts';
import { ModelName } from '../names.ts';
import { Count, Timestamp, VersionNumber } from './common.ts';
import { ManifestSchema } from './uploads.ts';

export const ModelParams = z.object({ model: ModelName.openapi({ param: { name: 'model', in: 'path' }, example: 'senteval-multitask' }) });

export const TaskSummary = z.object({
  kind: z.enum(['classification', 'multilabel', 'regression', 'embedding']),
  labels: z.array(z.string()).optional(),
});

const AliasTarget = z.object({ version: VersionNumber, weight: z.number().positive() });

export const ModelSummary = z
  .object({
    name: z.string(),
    owner: z.enum(['public', 'tenant']).openapi({ description: 'public models can be called by every tenant, not changed' }),
    description: z.string(),
    latest_version: VersionNumber.nullable(),
    aliases: z.record(z.string(), z.array(AliasTarget)).openapi({ description: 'each alias with its targets and their traffic weights' }),
  })
  .openapi('ModelSummary');

export const ModelVersion = z
  .object({
    version: VersionNumber,
    sha256: Sha256,
    bytes: Count,
    created_at: Timestamp,
    tasks: z.record(z.string(), TaskSummary),
    quantization: z.string(),
  })
  .openapi('ModelVersion');

export const ModelDetail = ModelSummary.extend({
  manifest: z
    .union([ManifestSchema, z.object({}).strict()])
    .openapi({ description: 'the manifest of the version prod points at (else the latest); {} while the model has no version' }),
  versions: z.array(ModelVersion),
}).openapi('ModelDetail');

export const ModelList = z.object({ models: z.array(ModelSummary) }).openapi('ModelList');

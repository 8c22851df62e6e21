import { z } from '@hono/zod-openapi';
import { Manifest as ManifestZod, Sha256 } from '../manifest.ts';
import { AliasName } from '../names.ts';
import { UPLOAD_STATUSES } from '../vocabulary.ts';
import { Count, pathId, VersionNumber } from './common.ts';

// schemas/manifest.ts is plain zod (models/ and the CLI read it without OpenAPI), so the
// component is named through zod's own metadata, which the generator reads
export const ManifestSchema = ManifestZod.meta({
  id: 'Manifest',
  description:
    'a model package manifest (chimera.model/v1): every file with its sha256 and bytes, the input spec and the tasks. Exactly one file is the graph; file paths are unique; a tokenizer.json tokenizer names one of the files (role tokenizer).',
  // what the zod schema checks that the generator cannot carry over: task names (record
  // keys) and the one rule across fields JSON Schema can state (the others are in words above)
  allOf: [
    {
      properties: {
        tasks: { propertyNames: { pattern: '^[a-z0-9_-]+$' } },
        files: { contains: { properties: { role: { const: 'graph' } } }, minContains: 1, maxContains: 1 },
      },
    },
  ],
});

export const CreateVersion = z
  .object({
    manifest: ManifestSchema,
    alias: AliasName.optional().openapi({ description: 'point this alias at the version once it is committed' }),
  })
  .openapi('CreateVersion');

export const Upload = z
  .object({
    upload_id: z.string(),
    model: z.string(),
    status: z.enum(UPLOAD_STATUSES),
    files: z.array(
      z.object({
        path: z.string(),
        bytes: Count,
        sha256: Sha256,
        upload_url: z.string().openapi({ description: 'PUT the raw bytes here (relative to the server)' }),
      }),
    ),
    commit_url: z.string().openapi({ description: 'POST here once every file is uploaded' }),
  })
  .openapi('Upload');

export const UploadParams = z.object({ upload: pathId('upload', 'the upload_id') });
export const UploadFileParams = UploadParams.extend({ path: pathId('path', 'a file path of the manifest, URL-encoded') });

export const StoredFile = z
  .object({
    path: z.string(),
    stored: z.boolean().openapi({ description: 'false when your tenant had sent these bytes before; says nothing of other tenants' }),
  })
  .openapi('StoredFile');

export const CommittedVersion = z
  .object({
    model: z.string(),
    version: VersionNumber,
    sha256: Sha256.describe("the graph file's sha256"),
    bytes: Count.openapi({ description: 'all files together' }),
    alias: z.string().nullable(),
  })
  .openapi('CommittedVersion');

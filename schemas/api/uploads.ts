import { z } from '@hono/zod-openapi';
import { Manifest } from '../manifest.ts';
import { AliasName } from '../names.ts';
import { UPLOAD_STATUSES } from '../vocabulary.ts';

export const CreateVersion = z
  .object({
    manifest: Manifest.openapi({ type: 'object', description: 'the package manifest: every file with its sha256 and bytes' }),
    alias: AliasName.optional().openapi({ description: 'point this alias at the version once it is committed' }),
  })
  .openapi('CreateVersion');

export const Upload = z
  .object({
    upload_id: z.string(),
    model: z.string(),
    status: z.enum(UPLOAD_STATUSES),
    files: z.array(z.object({ path: z.string(), bytes: z.number().int(), sha256: z.string(), upload_url: z.string() })),
    commit_url: z.string(),
  })
  .openapi('Upload');

export const UploadParams = z.object({ upload: z.string().openapi({ param: { name: 'upload', in: 'path' } }) });
export const UploadFileParams = UploadParams.extend({ path: z.string().openapi({ param: { name: 'path', in: 'path' } }) });

export const CommittedVersion = z
  .object({
    model: z.string(),
    version: z.number().int(),
    sha256: z.string(),
    bytes: z.number().int(),
    alias: z.string().nullable(),
  })
  .openapi('CommittedVersion');

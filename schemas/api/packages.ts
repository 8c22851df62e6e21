// A version's package for running it elsewhere (a browser, through @chimera/client/browser):
// its manifest and short-lived signed URLs for its files, and the query such a URL carries.
import { z } from '@hono/zod-openapi';
import { Sha256 } from '../manifest.ts';
import { AliasName } from '../names.ts';
import { Count, Timestamp, VERSION_EXCLUDES_ALIAS, VersionNumber } from './common.ts';
import { ModelParams, ModelVersion } from './models.ts';
import { ManifestSchema } from './uploads.ts';

/** Seconds a signed URL lives: long enough to fetch a package, short enough that a leaked
 * URL soon stops working. */
export const URL_TTL_S = { default: 600, max: 3600 } as const;

const versionParam = z.coerce
  .number()
  .int()
  .min(1)
  .max(Number.MAX_SAFE_INTEGER)
  .openapi({ type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

export const PackageQuery = z
  .object({
    version: versionParam.optional().openapi({ description: 'pin a version (not with alias)' }),
    alias: AliasName.optional().openapi({ description: 'route through an alias (default prod; not with version)' }),
    expires_in: z.coerce
      .number()
      .int()
      .min(1)
      .max(URL_TTL_S.max)
      .optional()
      .openapi({
        type: 'integer',
        minimum: 1,
        maximum: URL_TTL_S.max,
        description: `seconds the URLs stay valid (default ${URL_TTL_S.default})`,
      }),
  })
  .refine((q) => !(q.version !== undefined && q.alias !== undefined), { message: 'give version or alias, not both', path: ['version'] })
  .openapi(VERSION_EXCLUDES_ALIAS);

const PackageFile = z.object({
  path: z.string(),
  role: z.enum(['graph', 'external-data', 'tokenizer']),
  sha256: Sha256,
  bytes: Count,
  url: z.string().openapi({
    format: 'uri',
    description: 'GET it without credentials until expires_at; bound to your tenant, this version and the key that asked',
  }),
});

export const ModelPackage = z
  .object({
    model: z.string(),
    version: VersionNumber,
    alias: z.string().nullable().openapi({ description: 'the alias that chose the version; null when pinned' }),
    expires_at: Timestamp,
    manifest: ManifestSchema,
    files: z.array(PackageFile),
  })
  .openapi('ModelPackage');

/** What a signed file URL carries besides the file's sha256 (its path). */
export const SignedFileQuery = z.object({
  version: versionParam,
  tenant: z.string().min(1).max(200),
  key: z.string().min(1).max(200).openapi({ description: 'the id of the API key the URL was issued to' }),
  expires: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 40)
    .openapi({ type: 'integer', minimum: 0, description: 'Unix seconds' }),
  kid: z.string().min(1).max(64).openapi({ description: 'which of the Worker’s URL keys signed it' }),
  sig: z.string().min(1).max(200).openapi({ description: 'base64url HMAC-SHA256' }),
});
export type SignedFileQuery = z.infer<typeof SignedFileQuery>;

export const PackageFileParams = ModelParams.extend({
  sha256: Sha256.openapi({ param: { name: 'sha256', in: 'path' } }),
});

export const VersionParams = ModelParams.extend({
  version: versionParam.openapi({ param: { name: 'version', in: 'path' }, example: 1 }),
});

export const VersionDetail = ModelVersion.extend({
  manifest: ManifestSchema,
  aliases: z.array(z.string()).openapi({ description: 'the aliases that send this version traffic' }),
}).openapi('ModelVersionDetail');

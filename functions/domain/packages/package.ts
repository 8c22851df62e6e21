// A version's package for running it outside the Worker (the browser entry of the SDK):
// the manifest and one signed URL per file. A URL is checked again when it is used: its
// signature and expiry, that the key it was issued to is still live, and that its tenant
// still sees the model and version, so a URL never grants more than its key could read.
import { and, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { blobKey } from '../../../models/store.ts';
import { type ModelPackage, type SignedFileQuery, URL_TTL_S } from '../../../schemas/api/packages.ts';
import { ApiError } from '../../../schemas/api/problems.ts';
import { apiKeys } from '../../../schemas/db/schema.ts';
import { limits } from '../../infra/config.ts';
import type { Db } from '../../infra/db.ts';
import { limitAnonymous } from '../limits.ts';
import { findModel, findModelFor, resolveVersion } from '../registry.ts';
import { signUrl, type UrlClaims, verifyUrl } from './signing.ts';

export interface PackageRequest {
  version?: number;
  alias?: string;
  routingKey?: string;
  expiresIn?: number;
}

/** The manifest and signed URLs of the version the caller would be answered by. */
export async function issuePackage(
  env: Env,
  db: Db,
  caller: { tenantId: string; keyId: string },
  name: string,
  want: PackageRequest,
  /** the origin the URLs point at: the one the caller reached */
  origin: string,
): Promise<z.infer<typeof ModelPackage>> {
  const ttl = limits(env).cacheTtlMs;
  const model = await findModelFor(db, caller.tenantId, name, want, ttl);
  const version = await resolveVersion(db, model, want, ttl);
  const expires = Math.floor(Date.now() / 1000) + (want.expiresIn ?? URL_TTL_S.default);
  const files = await Promise.all(
    version.manifest.files.map(async (f) => {
      const claims: UrlClaims = {
        tenant: caller.tenantId,
        model: name,
        version: version.number,
        sha256: f.sha256,
        key: caller.keyId,
        expires,
      };
      const { kid, sig } = await signUrl(env, claims);
      const query = new URLSearchParams({
        version: String(version.number),
        tenant: claims.tenant,
        key: claims.key,
        expires: String(expires),
        kid,
        sig,
      });
      return { ...f, url: `${origin}/v1/models/${name}/package/files/${f.sha256}?${query}` };
    }),
  );
  return {
    model: name,
    version: version.number,
    alias: version.alias,
    expires_at: new Date(expires * 1000).toISOString(),
    manifest: version.manifest,
    files,
  };
}

const keyIsLive = async (db: Db, tenantId: string, keyId: string) =>
  (
    await db
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(and(eq(apiKeys.id, keyId), eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt)))
      .limit(1)
  ).length > 0;

/** The bytes a signed URL names, after every check; refusals count against the caller's
 * address like failed authentication does. */
export async function openPackageFile(
  env: Env,
  db: Db,
  name: string,
  sha256: string,
  q: SignedFileQuery,
  address: string,
): Promise<{ body: ReadableStream<Uint8Array>; bytes: number; path: string; expires: number }> {
  const claims: UrlClaims = { tenant: q.tenant, model: name, version: q.version, sha256, key: q.key, expires: q.expires };
  try {
    await verifyUrl(env, claims, q.kid, q.sig);
    if (!(await keyIsLive(db, q.tenant, q.key))) {
      throw new ApiError('url-revoked', 'the API key this URL was issued to has been revoked; ask for the package again with a live key');
    }
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) await limitAnonymous(env, address);
    throw e;
  }
  // the model and version as this tenant sees them now (a version never changes)
  const model = await findModel(db, q.tenant, name);
  const version = await resolveVersion(db, model, { version: q.version });
  const file = version.manifest.files.find((f) => f.sha256 === sha256);
  if (!file) throw new ApiError('file-not-found', `version ${q.version} of "${name}" has no file with sha256 ${sha256}`);
  const object = await env.MODELS.get(blobKey(sha256));
  if (!object) throw new ApiError('model-integrity', `file ${file.path} (sha256 ${sha256}) is missing from storage`);
  return { body: object.body, bytes: object.size, path: file.path, expires: q.expires };
}

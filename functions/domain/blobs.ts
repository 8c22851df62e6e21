// Who may use which stored blob, and how much each tenant stores. Blobs are shared by
// content (one copy per sha256), but a tenant may name in a manifest only blobs it sent
// and verified itself, or public ones: knowing a hash is not holding the bytes.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { blobKey } from '../../models/store.ts';
import { ApiError } from '../../schemas/api/problems.ts';
import { blobGrants, files, tenants } from '../../schemas/db/schema.ts';
import type { ManifestFile } from '../../schemas/manifest.ts';
import { limits } from '../infra/config.ts';
import type { Db } from '../infra/db.ts';
import { PUBLIC_OWNER } from './registry.ts';

/** Records that `tenantId` holds these verified blobs (idempotent). */
export const grantBlobs = (db: Db, tenantId: string, held: Pick<ManifestFile, 'sha256' | 'bytes'>[]): BatchItem<'sqlite'>[] =>
  held.map((f) => db.insert(blobGrants).values({ tenantId, sha256: f.sha256, bytes: f.bytes }).onConflictDoNothing());

/** The sha256s of `wanted` that the tenant holds, or that public models hold. */
export async function heldBlobs(db: Db, tenantId: string, wanted: string[]): Promise<Set<string>> {
  if (wanted.length === 0) return new Set();
  const rows = await db
    .select({ sha256: blobGrants.sha256 })
    .from(blobGrants)
    .where(and(inArray(blobGrants.tenantId, [tenantId, PUBLIC_OWNER]), inArray(blobGrants.sha256, wanted)));
  return new Set(rows.map((r) => r.sha256));
}

/** Files of a manifest that the tenant may not use or that storage lacks, by path (one
 * answer for both, so a commit cannot probe what others hold); then every object's real
 * size checked against the manifest's. */
export async function requireUsableBlobs(db: Db, bucket: R2Bucket, tenantId: string, manifestFiles: ManifestFile[]): Promise<void> {
  const held = await heldBlobs(
    db,
    tenantId,
    manifestFiles.map((f) => f.sha256),
  );
  const objects = await Promise.all(manifestFiles.map((f) => (held.has(f.sha256) ? bucket.head(blobKey(f.sha256)) : null)));
  const missing = manifestFiles.filter((_, i) => !objects[i]).map((f) => f.path);
  if (missing.length) throw new ApiError('files-missing', `upload every file before committing; missing: ${missing.join(', ')}`);
  for (const [i, f] of manifestFiles.entries()) {
    const size = objects[i]!.size;
    if (size !== f.bytes) throw new ApiError('upload-size', `${f.path} is ${size} bytes in storage; its manifest declares ${f.bytes}`);
  }
}

/** Bytes the tenant stores: every blob it holds (shared ones counted in full: what others
 * hold is not the tenant's business) and its input files. */
export async function storageUsed(db: Db, tenantId: string): Promise<number> {
  const [blobs] = await db
    .select({ n: sql<number>`coalesce(sum(${blobGrants.bytes}), 0)` })
    .from(blobGrants)
    .where(eq(blobGrants.tenantId, tenantId));
  const [inputs] = await db
    .select({ n: sql<number>`coalesce(sum(${files.bytes}), 0)` })
    .from(files)
    .where(eq(files.tenantId, tenantId));
  return (blobs?.n ?? 0) + (inputs?.n ?? 0);
}

/** The tenant's storage quota and what is left of it. */
export async function storageLeft(env: Env, db: Db, tenantId: string): Promise<{ quota: number; left: number }> {
  const [row] = await db.select({ quota: tenants.storageQuotaBytes }).from(tenants).where(eq(tenants.id, tenantId));
  const quota = row?.quota ?? limits(env).storageQuotaBytes;
  return { quota, left: quota - (await storageUsed(db, tenantId)) };
}

/** 413 when `bytes` more would take the tenant past its storage quota. */
export async function requireStorage(env: Env, db: Db, tenantId: string, bytes: number): Promise<{ quota: number; left: number }> {
  const room = await storageLeft(env, db, tenantId);
  if (bytes > room.left) throw storageQuotaError(room.quota);
  return room;
}

export const storageQuotaError = (quota: number) =>
  new ApiError('storage-quota', `this would take your tenant past its storage quota of ${quota} bytes`);

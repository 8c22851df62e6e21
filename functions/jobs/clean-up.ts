// The clean-up sweep (cron, hourly): uploads left open past ABANDONED_UPLOAD_HOURS are
// dropped; a tenant's hold on a blob that none of its versions or open uploads names is
// released once that old; a blob nobody holds and no version names is deleted from R2;
// input files are deleted FILE_RETENTION_DAYS after they were uploaded. Each step is
// bounded per run; what is left waits for the next run.
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { blobKey } from '../../models/store.ts';
import { blobGrants, files, uploads } from '../../schemas/db/schema.ts';
import { batchKeys } from '../domain/batches/storage.ts';
import { limits } from '../infra/config.ts';
import { type Db, dbOf } from '../infra/db.ts';

const PER_RUN = 500;
const IDS_PER_STATEMENT = 90; // D1 binds at most 100 parameters per statement

async function inChunks<T>(items: T[], run: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += IDS_PER_STATEMENT) await run(items.slice(i, i + IDS_PER_STATEMENT));
}

/** sha256s of the files a manifest-bearing table's JSON names */
const namedBy = (alias: string) => sql.raw(`(select json_extract(f.value, '$.sha256') from json_each(${alias}.manifest, '$.files') f)`);

async function dropAbandonedUploads(db: Db, before: number): Promise<number> {
  const old = await db
    .select({ id: uploads.id })
    .from(uploads)
    .where(and(eq(uploads.status, 'open'), lt(uploads.createdAt, before)))
    .limit(PER_RUN);
  await inChunks(old, (chunk) =>
    db.delete(uploads).where(
      inArray(
        uploads.id,
        chunk.map((u) => u.id),
      ),
    ),
  );
  return old.length;
}

/** Releases holds no version or open upload of the holder names; the sha256s released. */
async function releaseUnusedHolds(db: Db, before: number): Promise<string[]> {
  const unused = await db.all<{ tenant_id: string; sha256: string }>(sql`
    select g.tenant_id, g.sha256 from ${blobGrants} g
    where g.created_at < ${before}
      and not exists (select 1 from model_versions v join models m on m.id = v.model_id
                      where m.owner = g.tenant_id and g.sha256 in ${namedBy('v')})
      and not exists (select 1 from uploads u
                      where u.tenant_id = g.tenant_id and u.status = 'open' and g.sha256 in ${namedBy('u')})
    limit ${PER_RUN}`);
  for (const hold of unused) {
    await db.delete(blobGrants).where(and(eq(blobGrants.tenantId, hold.tenant_id), eq(blobGrants.sha256, hold.sha256)));
  }
  return [...new Set(unused.map((h) => h.sha256))];
}

/** Deletes the blobs of `candidates` that nobody holds and no version names. */
async function deleteOrphanBlobs(db: Db, bucket: R2Bucket, candidates: string[]): Promise<number> {
  let deleted = 0;
  for (const sha256 of candidates) {
    const [inUse] = await db.all<{ n: number }>(sql`
      select (select count(*) from ${blobGrants} where sha256 = ${sha256})
           + (select count(*) from model_versions v where ${sha256} in ${namedBy('v')}) as n`);
    if ((inUse?.n ?? 0) > 0) continue;
    await bucket.delete(blobKey(sha256));
    deleted++;
  }
  return deleted;
}

async function deleteOldFiles(db: Db, bucket: R2Bucket, before: number): Promise<number> {
  const old = await db.select({ id: files.id }).from(files).where(lt(files.createdAt, before)).limit(PER_RUN);
  if (old.length === 0) return 0;
  await bucket.delete(old.map((f) => batchKeys.file(f.id)));
  await inChunks(old, (chunk) =>
    db.delete(files).where(
      inArray(
        files.id,
        chunk.map((f) => f.id),
      ),
    ),
  );
  return old.length;
}

export async function cleanUp(env: Env, now: number) {
  const db = dbOf(env.DB);
  const { abandonedUploadMs, fileRetentionMs } = limits(env);
  const uploadsDropped = await dropAbandonedUploads(db, now - abandonedUploadMs);
  const released = await releaseUnusedHolds(db, now - abandonedUploadMs);
  const blobsDeleted = await deleteOrphanBlobs(db, env.MODELS, released);
  const filesDeleted = await deleteOldFiles(db, env.MODELS, now - fileRetentionMs);
  return { uploadsDropped, holdsReleased: released.length, blobsDeleted, filesDeleted };
}

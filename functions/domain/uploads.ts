// Uploading a version: open an upload with its manifest, stream each file into R2 under
// its sha256, then commit: check the graph against the manifest and make the version
// visible in one D1 batch. Uploads belong to one tenant; any other caller is told they
// do not exist. A commit may name only blobs the tenant itself sent and verified (or
// public ones), each of the size its manifest declares; an upload commits once.
import { and, eq } from 'drizzle-orm';
import { indexOnnx } from '../../models/onnx/index.ts';
import { checkPackage } from '../../models/package-check.ts';
import { blobKey } from '../../models/store.ts';
import { MAX_TOKENIZER_BYTES, tokenizerProblems } from '../../models/text/tokenizer-safety.ts';
import { ApiError } from '../../schemas/api/problems.ts';
import { uploads } from '../../schemas/db/schema.ts';
import { Manifest } from '../../schemas/manifest.ts';
import { streamToBlob } from '../infra/blob-upload.ts';
import type { Db } from '../infra/db.ts';
import { r2Reader } from '../infra/r2-range.ts';
import { grantBlobs, heldBlobs, requireStorage, requireUsableBlobs } from './blobs.ts';
import { insertVersion, OriginTaken } from './versions.ts';

export type UploadRow = Omit<typeof uploads.$inferSelect, 'manifest'> & { manifest: Manifest };

export async function openUpload(db: Db, tenantId: string, model: string, manifest: Manifest, alias?: string): Promise<UploadRow> {
  const [row] = await db
    .insert(uploads)
    .values({ id: crypto.randomUUID(), tenantId, model, manifest, alias: alias ?? null, status: 'open' })
    .returning();
  return { ...row!, manifest };
}

export async function findUpload(db: Db, tenantId: string, id: string): Promise<UploadRow> {
  const [row] = await db
    .select()
    .from(uploads)
    .where(and(eq(uploads.id, id), eq(uploads.tenantId, tenantId)));
  if (!row) throw new ApiError('upload-not-found', `no upload "${id}"`);
  return { ...row, manifest: Manifest.parse(row.manifest) };
}

/** Streams one file of an open upload into storage and records that the tenant holds
 * it. The bytes are received and checked even when someone else stored the same ones,
 * so the answer says nothing of other tenants: `stored` is false only when this tenant
 * had sent and verified these bytes before (then the body is not read). */
export async function putUploadFile(
  env: Env,
  db: Db,
  upload: UploadRow,
  path: string,
  body: ReadableStream<Uint8Array> | null,
): Promise<{ stored: boolean }> {
  if (upload.status !== 'open') throw new ApiError('upload-closed', `upload "${upload.id}" is ${upload.status}`);
  const file = upload.manifest.files.find((f) => f.path === path);
  if (!file) {
    const paths = upload.manifest.files.map((f) => f.path).join(', ');
    throw new ApiError('file-not-found', `upload "${upload.id}" has no file "${path}"; its files are ${paths}`);
  }
  if (!body) throw new ApiError('empty-body', `send the bytes of ${path} as the request body`);
  if ((await heldBlobs(db, upload.tenantId, [file.sha256])).has(file.sha256)) {
    await body.cancel();
    return { stored: false };
  }
  await requireStorage(env, db, upload.tenantId, file.bytes);
  await streamToBlob(env.MODELS, body, file);
  await db.batch([grantBlobs(db, upload.tenantId, [file])[0]!]);
  return { stored: true };
}

/** Validates the uploaded files against the manifest and makes the version visible. */
export async function commitUpload(db: Db, bucket: R2Bucket, upload: UploadRow, actor: string): Promise<{ version: number }> {
  const closed = () => new ApiError('upload-closed', `upload "${upload.id}" is committed already`);
  if (upload.status !== 'open') throw closed();
  const { manifest } = upload;
  await requireUsableBlobs(db, bucket, upload.tenantId, manifest.files);

  const graph = manifest.files.find((f) => f.role === 'graph')!;
  let index: Awaited<ReturnType<typeof indexOnnx>>;
  try {
    index = await indexOnnx(r2Reader(bucket, graph.sha256, graph.bytes));
  } catch (e) {
    throw new ApiError('not-onnx', `${graph.path} is not a valid ONNX model: ${(e as Error).message}`);
  }
  const problems = checkPackage(manifest, index, Object.fromEntries(manifest.files.map((f) => [f.path, f.bytes])));
  for (const f of manifest.files.filter((x) => x.role === 'tokenizer')) {
    // an oversized tokenizer is refused on its size, without reading it
    if (f.bytes > MAX_TOKENIZER_BYTES) {
      problems.push(`${f.path} is ${f.bytes} bytes; at most ${MAX_TOKENIZER_BYTES} are served`);
      continue;
    }
    const object = await bucket.get(blobKey(f.sha256));
    if (object) problems.push(...tokenizerProblems(new Uint8Array(await object.arrayBuffer()), f.path));
  }
  if (problems.length) {
    throw new ApiError('manifest-mismatch', `the graph does not match its manifest: ${problems.join('; ')}`, {
      errors: problems.map((message) => ({ path: 'manifest', message })),
    });
  }
  const published = await insertVersion(db, {
    owner: upload.tenantId,
    model: upload.model,
    manifest,
    alias: upload.alias ?? undefined,
    actor,
    origin: `upload:${upload.id}`, // a second commit racing this one fails on it, whole
    alongside: (version) => [db.update(uploads).set({ status: 'committed', version }).where(eq(uploads.id, upload.id))],
  }).catch((e) => {
    throw e instanceof OriginTaken ? closed() : e;
  });
  return { version: published.version };
}

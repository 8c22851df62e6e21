// Batch input files: a JSONL body streamed into R2 as it arrives (never held whole),
// its lines counted on the way (a native search per chunk, so a huge file never holds
// the isolate), within the tenant's storage quota.
import { and, eq } from 'drizzle-orm';
import { ApiError } from '../../../schemas/api/problems.ts';
import { files } from '../../../schemas/db/schema.ts';
import { HashedMultipart } from '../../infra/blob-upload.ts';
import type { Db } from '../../infra/db.ts';
import { requireStorage, storageQuotaError } from '../blobs.ts';
import { batchKeys } from './storage.ts';

export const MAX_FILE_BYTES = 64 << 20;
export type FileRow = typeof files.$inferSelect;

/** `named`: an OpenAI file's id (file-…), name and purpose. */
export async function createFile(
  env: Env,
  db: Db,
  tenantId: string,
  body: ReadableStream<Uint8Array> | null,
  named: { id: string; filename: string; purpose: string } | undefined = undefined,
): Promise<FileRow> {
  if (!body) throw new ApiError('empty-body', 'send the JSONL file as the request body');
  const room = await requireStorage(env, db, tenantId, 1);
  const id = named?.id ?? crypto.randomUUID();
  const out = new HashedMultipart(await env.MODELS.createMultipartUpload(batchKeys.file(id)));
  let lines = 0;
  let last = 10;
  try {
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (out.bytes + value.length > MAX_FILE_BYTES) throw new ApiError('file-too-large', `files are at most ${MAX_FILE_BYTES} bytes`);
      if (out.bytes + value.length > room.left) throw storageQuotaError(room.quota);
      for (let nl = value.indexOf(10); nl >= 0; nl = value.indexOf(10, nl + 1)) lines++;
      if (value.length) last = value[value.length - 1]!;
      await out.write(value);
    }
    if (out.bytes === 0) throw new ApiError('empty-body', 'the file is empty');
    await out.finish();
    await out.complete();
  } catch (e) {
    await out.abort();
    throw e;
  }
  if (last !== 10) lines++; // a last line without its newline
  const [row] = await db
    .insert(files)
    .values({ id, tenantId, bytes: out.bytes, lines, ...(named ? { filename: named.filename, purpose: named.purpose } : {}) })
    .returning();
  return row!;
}

/** 404 unless the tenant uploaded a file by this id (as if any other did not exist). */
export async function requireFile(db: Db, tenantId: string, id: string): Promise<void> {
  const [file] = await db
    .select({ id: files.id })
    .from(files)
    .where(and(eq(files.id, id), eq(files.tenantId, tenantId)));
  if (!file) throw new ApiError('file-not-found', `no file "${id}"`);
}

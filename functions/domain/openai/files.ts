// Files on the OpenAI surface: uploads (multipart, purpose "batch") are Chimera input
// files (domain/batches/files.ts), streamed to R2 as they arrive; a batch's output and
// error files are its result and error lines, named file-output-<batch> and
// file-errors-<batch> once the batch has ended.
import { and, desc, eq } from 'drizzle-orm';
import { ApiError } from '../../../schemas/api/problems.ts';
import { files } from '../../../schemas/db/schema.ts';
import { limits } from '../../infra/config.ts';
import type { Db } from '../../infra/db.ts';
import { boundaryOf, multipartParts } from '../../infra/multipart.ts';
import { createFile, type FileRow } from '../batches/files.ts';
import type { BatchRow } from '../batches/find.ts';
import { batchKeys, errorLines, resultLines } from '../batches/storage.ts';
import { findOpenAiBatch, isEnded } from './batches.ts';
import { before, page } from './page.ts';

const invalid = (path: string, message: string) => new ApiError('validation', `${path}: ${message}`, { errors: [{ path, message }] });
const s = (ms: number) => Math.floor(ms / 1000);

export async function uploadOpenAiFile(env: Env, db: Db, tenantId: string, body: ReadableStream<Uint8Array> | null, contentType?: string) {
  if (!body) throw new ApiError('empty-body', 'send the file as multipart/form-data');
  let file: FileRow | undefined;
  let purpose: string | undefined;
  for await (const part of multipartParts(body, boundaryOf(contentType))) {
    if (part.name === 'purpose') purpose = (await new Response(part.body).text()).trim().slice(0, 100);
    else if (part.name === 'file' && !file) {
      const named = { id: `file-${crypto.randomUUID()}`, filename: (part.filename || 'batch.jsonl').slice(0, 255), purpose: 'batch' };
      file = await createFile(env, db, tenantId, part.body, named);
    }
  }
  if (!file) throw invalid('file', 'no part named "file"');
  if (purpose !== 'batch') {
    await deleteOpenAiFile(env, db, tenantId, file.id);
    throw invalid('purpose', `Chimera takes files for batches only: purpose must be "batch"${purpose ? `, not "${purpose}"` : ''}`);
  }
  return fileView(env, file);
}

export function fileView(env: Env, f: FileRow) {
  return {
    id: f.id,
    object: 'file' as const,
    bytes: f.bytes,
    created_at: s(f.createdAt),
    filename: f.filename ?? `${f.id}.jsonl`,
    purpose: 'batch' as const,
    status: 'processed' as const,
    expires_at: s(f.createdAt + limits(env).fileRetentionMs),
  };
}

const outputView = (b: BatchRow, kind: 'output' | 'errors') => ({
  id: `file-${kind}-${b.id}`,
  object: 'file' as const,
  bytes: 0, // streamed from its chunks: not summed
  created_at: s(b.updatedAt),
  filename: `batch_${b.id}_${kind}.jsonl`,
  purpose: 'batch_output' as const,
  status: 'processed' as const,
  expires_at: null,
});

const OUTPUT = /^file-(output|errors)-(.+)$/;

async function uploaded(db: Db, tenantId: string, id: string): Promise<FileRow> {
  const [row] = await db
    .select()
    .from(files)
    .where(and(eq(files.id, id), eq(files.tenantId, tenantId), eq(files.purpose, 'batch')));
  if (!row) throw new ApiError('file-not-found', `no file "${id}"`);
  return row;
}

/** An output or error file's batch, ended (404 before: OpenAI has no such file yet). */
async function outputOf(db: Db, tenantId: string, id: string): Promise<{ batch: BatchRow; kind: 'output' | 'errors' } | undefined> {
  const m = OUTPUT.exec(id);
  if (!m) return undefined;
  const batch = await findOpenAiBatch(db, tenantId, m[2]!).catch(() => undefined);
  if (!batch || !isEnded(batch)) throw new ApiError('file-not-found', `no file "${id}"`);
  return { batch, kind: m[1] as 'output' | 'errors' };
}

export async function getOpenAiFile(env: Env, db: Db, tenantId: string, id: string) {
  const out = await outputOf(db, tenantId, id);
  return out ? outputView(out.batch, out.kind) : fileView(env, await uploaded(db, tenantId, id));
}

export async function openAiFileContent(env: Env, db: Db, tenantId: string, id: string): Promise<ReadableStream<Uint8Array>> {
  const out = await outputOf(db, tenantId, id);
  if (out) return out.kind === 'output' ? resultLines(env.MODELS, out.batch) : errorLines(env.MODELS, out.batch);
  const object = await env.MODELS.get(batchKeys.file((await uploaded(db, tenantId, id)).id));
  if (!object) throw new ApiError('file-not-found', `file "${id}" is gone`);
  return object.body;
}

/** Uploaded files, newest first, `limit` after the id `after`. */
export async function listOpenAiFiles(env: Env, db: Db, tenantId: string, limit: number, after?: string) {
  const from = after ? await uploaded(db, tenantId, after) : undefined;
  const rows = await db
    .select()
    .from(files)
    .where(and(eq(files.tenantId, tenantId), eq(files.purpose, 'batch'), from && before(files, from)))
    .orderBy(desc(files.createdAt), desc(files.id))
    .limit(limit + 1);
  return page(
    rows.slice(0, limit).map((f) => fileView(env, f)),
    rows.length > limit,
  );
}

export async function deleteOpenAiFile(env: Env, db: Db, tenantId: string, id: string) {
  if (OUTPUT.test(id)) throw new ApiError('read-only', `"${id}" is a batch's output: it goes when the batch's data does`);
  const row = await uploaded(db, tenantId, id);
  await env.MODELS.delete(batchKeys.file(row.id));
  await db.delete(files).where(eq(files.id, row.id));
  return { id, object: 'file' as const, deleted: true };
}

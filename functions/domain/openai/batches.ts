// Batches on the OpenAI surface: OpenAI's create and batch object over Chimera's batch
// machinery (domain/batches). The model comes from the input file's first line (OpenAI
// runs one model a batch), resolved to a version when the batch is made; the lines are
// read in the queue (jobs/batch-input.ts), answered by the chunk job, counted per request.
import { and, desc, eq } from 'drizzle-orm';
import { type CreateOpenAiBatch, OPENAI_STATUS, type OpenAiBatch } from '../../../schemas/api/openai.ts';
import { ApiError } from '../../../schemas/api/problems.ts';
import { batches } from '../../../schemas/db/schema.ts';
import { BATCH_ENDINGS } from '../../../schemas/vocabulary.ts';
import { limits } from '../../infra/config.ts';
import type { Db } from '../../infra/db.ts';
import { cancelBatch } from '../batches/end.ts';
import { requireFile } from '../batches/files.ts';
import { type BatchRow, chunkCounts } from '../batches/find.ts';
import { startBatch } from '../batches/start.ts';
import { batchKeys } from '../batches/storage.ts';
import { findModel, resolveVersion } from '../registry.ts';
import { embeddingTask, parseOpenAiModel } from './models.ts';
import { before, page } from './page.ts';

const invalid = (path: string, message: string) => new ApiError('validation', `${path}: ${message}`, { errors: [{ path, message }] });
const s = (ms: number) => Math.floor(ms / 1000);
export const isEnded = (b: BatchRow) => (BATCH_ENDINGS as readonly string[]).includes(b.status);
const bare = (id: string) => id.replace(/^batch_/, '');

export async function findOpenAiBatch(db: Db, tenantId: string, id: string): Promise<BatchRow> {
  const [row] = await db
    .select()
    .from(batches)
    .where(and(eq(batches.id, bare(id)), eq(batches.tenantId, tenantId), eq(batches.format, 'openai')));
  if (!row) throw new ApiError('batch-not-found', `no batch "${id}"`);
  return row;
}

/** The model the first line asks for: read by range, at most one line's worth. */
async function firstLineModel(env: Env, fileId: string): Promise<string> {
  const max = limits(env).maxLineChars * 4;
  const object = await env.MODELS.get(batchKeys.file(fileId), { range: { offset: 0, length: max } });
  const text = object ? new TextDecoder().decode(await object.arrayBuffer()) : '';
  const first = text.split('\n').find((l) => l.trim());
  let model: unknown;
  try {
    model = (JSON.parse(first ?? '') as { body?: { model?: unknown } }).body?.model;
  } catch {
    // said below
  }
  if (typeof model !== 'string') throw invalid('input_file_id', 'the first line must be a request whose body names a model');
  return model;
}

export async function createOpenAiBatch(env: Env, db: Db, tenantId: string, body: CreateOpenAiBatch): Promise<BatchRow> {
  if (body.endpoint !== '/v1/embeddings') throw invalid('endpoint', `Chimera serves /v1/embeddings batches, not ${body.endpoint}`);
  await requireFile(db, tenantId, body.input_file_id);
  const ref = parseOpenAiModel(await firstLineModel(env, body.input_file_id), 'input_file_id: line 1 body.model');
  const version = await resolveVersion(db, await findModel(db, tenantId, ref.model), ref);
  const task = embeddingTask(version.manifest, ref, version.number);
  const create = {
    model: ref.model,
    version: version.number,
    tasks: [task],
    input_file: body.input_file_id,
    ...(body.metadata ? { metadata: body.metadata } : {}),
    ...(body.webhook ? { webhook: body.webhook } : {}),
    completion_window_s: Number.parseInt(body.completion_window, 10) * 3600,
  };
  return startBatch(env, db, tenantId, create, undefined, 'openai');
}

export async function openAiBatchView(db: Db, b: BatchRow): Promise<OpenAiBatch> {
  const c = await chunkCounts(db, b.id);
  const ended = isEnded(b);
  const at = (status: string) => (b.status === status ? s(b.updatedAt) : null);
  return {
    id: `batch_${b.id}`,
    object: 'batch',
    endpoint: '/v1/embeddings',
    model: b.model,
    errors: b.error ? { object: 'list', data: [{ code: 'batch_failed', message: b.error, line: null, param: null }] } : null,
    input_file_id: b.inputFileId ?? '',
    completion_window: `${Math.round((b.expiresAt - b.createdAt) / 3_600_000)}h`,
    status: OPENAI_STATUS[b.status],
    output_file_id: ended && c.completed > 0 ? `file-output-${b.id}` : null,
    error_file_id: ended && c.failed + b.invalid > 0 ? `file-errors-${b.id}` : null,
    created_at: s(b.createdAt),
    in_progress_at: b.status === 'validating' ? null : s(b.createdAt),
    expires_at: s(b.expiresAt),
    completed_at: at('completed'),
    failed_at: at('failed'),
    expired_at: at('expired'),
    cancelled_at: at('cancelled'),
    request_counts: { total: b.total + b.invalid, completed: c.completed, failed: c.failed + b.invalid },
    metadata: b.metadata ?? null,
  };
}

export async function listOpenAiBatches(db: Db, tenantId: string, limit: number, after?: string) {
  const from = after ? await findOpenAiBatch(db, tenantId, after) : undefined;
  const rows = await db
    .select()
    .from(batches)
    .where(and(eq(batches.tenantId, tenantId), eq(batches.format, 'openai'), from && before(batches, from)))
    .orderBy(desc(batches.createdAt), desc(batches.id))
    .limit(limit + 1);
  return page(await Promise.all(rows.slice(0, limit).map((b) => openAiBatchView(db, b))), rows.length > limit);
}

export const cancelOpenAiBatch = async (env: Env, db: Db, tenantId: string, id: string) =>
  cancelBatch(env, db, await findOpenAiBatch(db, tenantId, id));

// Starting a batch: shared by POST /v1/batches and inbound hooks. Inline inputs (at most
// MAX_BATCH_INLINE, inside the body limit) are read here, in one pass, into chunks; an
// input file is only checked to exist here and read by a queue job (jobs/batch-input.ts),
// so the request answers in milliseconds whatever the file holds.

import { and, eq } from 'drizzle-orm';
import type { CreateBatch } from '../../../schemas/api/batches.ts';
import { ApiError, type ProblemType } from '../../../schemas/api/problems.ts';
import { batches } from '../../../schemas/db/schema.ts';
import type { BatchFormat } from '../../../schemas/vocabulary.ts';
import { limits } from '../../infra/config.ts';
import type { Db } from '../../infra/db.ts';
import { requireWithinLimits } from '../limits.ts';
import { enqueue, enqueueAll } from '../queue.ts';
import { findModel, resolveVersion } from '../registry.ts';
import { checkWebhook } from '../webhooks/events.ts';
import { endBatch } from './end.ts';
import { requireFile } from './files.ts';
import type { BatchRow } from './find.ts';
import { BatchInputWriter } from './inputs.ts';

/** What startBatch can refuse a request with (the routes that start batches document these). */
export const START_BATCH_PROBLEMS = [
  'model-not-found',
  'version-not-found',
  'alias-not-found',
  'task-not-found',
  'file-not-found',
  'too-many-inputs',
  'not-text',
  'webhook-url',
  'webhook-events',
  'rate-limited',
] as const satisfies readonly ProblemType[];

const byIdempotencyKey = async (db: Db, tenantId: string, key: string): Promise<BatchRow | undefined> =>
  (
    await db
      .select()
      .from(batches)
      .where(and(eq(batches.tenantId, tenantId), eq(batches.idempotencyKey, key)))
  )[0];

/** `format` openai: lines in OpenAI's batch format, read and answered as such (domain/openai/). */
export async function startBatch(
  env: Env,
  db: Db,
  tenantId: string,
  body: CreateBatch,
  idempotencyKey?: string,
  format: BatchFormat = 'chimera',
): Promise<BatchRow> {
  const existing = idempotencyKey ? await byIdempotencyKey(db, tenantId, idempotencyKey) : undefined;
  if (existing) return existing;
  const maxInline = limits(env).maxBatchInline;
  if (body.inputs && body.inputs.length > maxInline) {
    throw new ApiError(
      'too-many-inputs',
      `${body.inputs.length} inline inputs; at most ${maxInline} (upload a file with POST /v1/files for more)`,
    );
  }
  await requireWithinLimits(env, db, tenantId);
  await checkWebhook(env, body.webhook);
  const model = await findModel(db, tenantId, body.model);
  const version = await resolveVersion(db, model, body);
  if (version.manifest.input.kind !== 'text') throw new ApiError('not-text', `batches take text models; "${body.model}" takes tensors`);
  const known = Object.keys(version.manifest.tasks);
  const tasks = body.tasks ?? known;
  const unknown = tasks.filter((t) => !known.includes(t));
  if (unknown.length) throw new ApiError('task-not-found', `model "${body.model}" v${version.number} has no task ${unknown.join(', ')}`);
  if (body.input_file) await requireFile(db, tenantId, body.input_file);

  const id = crypto.randomUUID();
  let counts = { total: 0, invalid: 0, chunks: 0 };
  if (body.inputs) {
    const writer = new BatchInputWriter(env.MODELS, id, limits(env).maxTextChars);
    for (const [i, item] of body.inputs.entries()) await writer.accept(i + 1, item);
    counts = await writer.finish();
  }
  const [row] = await db
    .insert(batches)
    .values({
      id,
      tenantId,
      model: body.model,
      version: version.number,
      modelVersionId: version.id,
      tasks,
      status: body.input_file ? 'validating' : 'queued',
      format,
      ...counts,
      inputFileId: body.input_file ?? null,
      idempotencyKey: idempotencyKey ?? null,
      metadata: body.metadata ?? null,
      webhook: body.webhook ?? null,
      expiresAt: Date.now() + (body.completion_window_s ?? 86_400) * 1000,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) return (await byIdempotencyKey(db, tenantId, idempotencyKey!))!; // a concurrent create with the same Idempotency-Key won
  if (!body.input_file && counts.chunks === 0) return (await endBatch(env, db, id, 'completed')) ?? row; // every input was invalid
  // the row is written: if its messages are lost the cron sweep (jobs/stalled-batches.ts)
  // sends them again, so the caller is not told to retry
  await (body.input_file ? enqueue(env, { kind: 'batch-input', id }) : queueChunks(env, id, counts.chunks)).catch((e) =>
    console.error(`batch ${id}: messages not queued (the sweep will):`, e),
  );
  return row;
}

/** One queue message per chunk (a chunk run twice is written and counted once). */
export async function queueChunks(env: Env, id: string, chunks: number): Promise<void> {
  await enqueueAll(
    env,
    Array.from({ length: chunks }, (_, n) => ({ kind: 'batch', id, chunk: n })),
  );
}

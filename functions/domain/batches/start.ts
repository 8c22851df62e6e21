// Starting a batch: shared by POST /v1/batches and inbound hooks. Inputs are read in
// one pass: valid ones into chunk objects in R2, malformed ones into the errors.

import { and, eq } from 'drizzle-orm';
import type { CreateBatch } from '../../../schemas/api/batches.ts';
import { codePoints } from '../../../schemas/api/common.ts';
import { ApiError, type ProblemType } from '../../../schemas/api/problems.ts';
import { batches, files } from '../../../schemas/db/schema.ts';
import { limits } from '../../infra/config.ts';
import type { Db } from '../../infra/db.ts';
import { lines } from '../../infra/jsonl.ts';
import { enqueueAll } from '../queue.ts';
import { findModel, resolveVersion } from '../registry.ts';
import { checkWebhook } from '../webhooks/events.ts';
import type { BatchRow } from './find.ts';
import { batchKeys, CHUNK_SIZE, type ChunkInput } from './storage.ts';

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
] as const satisfies readonly ProblemType[];

// a high surrogate not followed by a low one, or a low one not preceded by a high one
// (a JSONL line may carry one as a \uD800 escape; request bodies are checked in http/)
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const byIdempotencyKey = async (db: Db, tenantId: string, key: string): Promise<BatchRow | undefined> =>
  (
    await db
      .select()
      .from(batches)
      .where(and(eq(batches.tenantId, tenantId), eq(batches.idempotencyKey, key)))
  )[0];

export async function startBatch(env: Env, db: Db, tenantId: string, body: CreateBatch, idempotencyKey?: string): Promise<BatchRow> {
  const existing = idempotencyKey ? await byIdempotencyKey(db, tenantId, idempotencyKey) : undefined;
  if (existing) return existing;
  const maxInline = limits(env).maxBatchInline;
  if (body.inputs && body.inputs.length > maxInline) {
    throw new ApiError(
      'too-many-inputs',
      `${body.inputs.length} inline inputs; at most ${maxInline} (upload a file with POST /v1/files for more)`,
    );
  }
  await checkWebhook(env, body.webhook);
  const model = await findModel(db, tenantId, body.model);
  const version = await resolveVersion(db, model, body);
  if (version.manifest.input.kind !== 'text') throw new ApiError('not-text', `batches take text models; "${body.model}" takes tensors`);
  const known = Object.keys(version.manifest.tasks);
  const tasks = body.tasks ?? known;
  const unknown = tasks.filter((t) => !known.includes(t));
  if (unknown.length) throw new ApiError('task-not-found', `model "${body.model}" v${version.number} has no task ${unknown.join(', ')}`);

  // one pass over the inputs: valid ones into chunk objects, malformed ones into the errors
  const id = crypto.randomUUID();
  const maxChars = limits(env).maxTextChars;
  const invalid: string[] = [];
  let chunk: ChunkInput[] = [],
    chunks = 0,
    total = 0;
  const flush = async () => {
    if (!chunk.length) return;
    await env.MODELS.put(batchKeys.input(id, chunks++), JSON.stringify(chunk));
    chunk = [];
  };
  const accept = async (line: number, item: unknown) => {
    const o = typeof item === 'string' ? { input: item } : (item as { custom_id?: unknown; input?: unknown });
    const problem =
      typeof o !== 'object' || o === null
        ? 'not an object'
        : typeof o.input !== 'string'
          ? '"input" must be a string'
          : codePoints(o.input) > maxChars
            ? `"input" is longer than ${maxChars} characters`
            : LONE_SURROGATE.test(o.input)
              ? '"input" holds a lone surrogate: text must be well-formed Unicode'
              : o.custom_id !== undefined && typeof o.custom_id !== 'string'
                ? '"custom_id" must be a string'
                : undefined;
    if (problem) {
      const customId = (o as { custom_id?: unknown } | null)?.custom_id;
      invalid.push(JSON.stringify({ line, custom_id: typeof customId === 'string' ? customId : null, error: problem }));
      return;
    }
    chunk.push({ line, custom_id: (o.custom_id as string | undefined) ?? String(line), input: o.input as string });
    total++;
    if (chunk.length === CHUNK_SIZE) await flush();
  };
  if (body.inputs) {
    for (const [i, item] of body.inputs.entries()) await accept(i + 1, item);
  } else {
    const [file] = await db
      .select()
      .from(files)
      .where(and(eq(files.id, body.input_file!), eq(files.tenantId, tenantId)));
    const object = file && (await env.MODELS.get(batchKeys.file(file.id)));
    if (!object) throw new ApiError('file-not-found', `no file "${body.input_file}"`);
    let n = 0;
    for await (const text of lines(object.body)) {
      n++;
      if (!text.trim()) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        invalid.push(JSON.stringify({ line: n, custom_id: null, error: 'not valid JSON' }));
        continue;
      }
      await accept(n, parsed);
    }
  }
  await flush();
  if (invalid.length) await env.MODELS.put(batchKeys.parseErrors(id), `${invalid.join('\n')}\n`);

  const [row] = await db
    .insert(batches)
    .values({
      id,
      tenantId,
      model: body.model,
      version: version.number,
      modelVersionId: version.id,
      tasks,
      status: chunks ? 'queued' : 'completed',
      total,
      invalid: invalid.length,
      chunks,
      idempotencyKey: idempotencyKey ?? null,
      metadata: body.metadata ?? null,
      webhook: body.webhook ?? null,
      expiresAt: Date.now() + (body.completion_window_s ?? 86_400) * 1000,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) return (await byIdempotencyKey(db, tenantId, idempotencyKey!))!; // a concurrent create with the same Idempotency-Key won
  await enqueueAll(
    env,
    Array.from({ length: chunks }, (_, n) => ({ kind: 'batch', id, chunk: n })),
  );
  return row;
}

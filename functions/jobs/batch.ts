// The batch consumer: one chunk per message. Its result lines are written to R2 once per
// chunk (a redelivery rewrites the same object) and the chunk's row is inserted only
// after, with its usage row under an event id of its own, so a crash, retry, redelivery
// or concurrent delivery never loses or doubles a line, a count or a bill. Whichever
// delivery finds every chunk done ends the batch, a redelivery of a finished chunk too.
import { and, eq } from 'drizzle-orm';
import { infer, type LoadedModel } from '../../models/runtime.ts';
import { batchChunks, batches, modelVersions, usageEvents } from '../../schemas/db/schema.ts';
import { Manifest } from '../../schemas/manifest.ts';
import { endBatch } from '../domain/batches/end.ts';
import { chunkCounts } from '../domain/batches/find.ts';
import { batchKeys, type ChunkInput } from '../domain/batches/storage.ts';
import { runOpenAiChunk } from '../domain/openai/batch-lines.ts';
import { limits } from '../infra/config.ts';
import { dbOf } from '../infra/db.ts';
import { getModel } from '../infra/loaded-models.ts';

export async function runBatchChunk(env: Env, id: string, n: number): Promise<void> {
  const db = dbOf(env.DB);
  const [batch] = await db.select().from(batches).where(eq(batches.id, id));
  if (!batch || !['queued', 'running'].includes(batch.status)) return; // cancelled, expired or over
  const [done] = await db
    .select()
    .from(batchChunks)
    .where(and(eq(batchChunks.batchId, id), eq(batchChunks.chunk, n)));
  if (done) return finishIfComplete(env, id, batch.chunks); // redelivered: the first delivery may have died before ending the batch
  if (Date.now() > batch.expiresAt) {
    await endBatch(env, db, id, 'expired');
    return;
  }
  if (batch.status === 'queued')
    await db
      .update(batches)
      .set({ status: 'running', updatedAt: Date.now() })
      .where(and(eq(batches.id, id), eq(batches.status, 'queued')));
  const started = Date.now();

  const object = await env.MODELS.get(batchKeys.input(id, n));
  if (!object) throw new Error(`chunk ${n} of batch ${id} is missing from storage`);
  const items = (await object.json()) as ChunkInput[];
  const [row] = await db.select().from(modelVersions).where(eq(modelVersions.id, batch.modelVersionId));
  if (!row) throw new Error(`version ${batch.version} of "${batch.model}" is gone`);
  const { model } = await getModel(env, { id: row.id, number: row.number, manifest: Manifest.parse(row.manifest) });

  const group = limits(env).maxInputs;
  // an OpenAI batch answers each line in OpenAI's shape (domain/openai/batch-lines.ts)
  const { results, errors, tokens, texts } =
    batch.format === 'openai'
      ? await runOpenAiChunk(id, model, items, batch.tasks[0]!, batch.model, group)
      : await runChunk(model, items, batch.tasks, group);
  await env.MODELS.put(batchKeys.output(id, n), results.length ? `${results.join('\n')}\n` : '');
  if (errors.length) await env.MODELS.put(batchKeys.errors(id, n), `${errors.join('\n')}\n`);
  await db.batch([
    db.insert(batchChunks).values({ batchId: id, chunk: n, completed: results.length, failed: errors.length }).onConflictDoNothing(),
    db
      .insert(usageEvents)
      .values({
        eventId: `batch:${id}/${n}`,
        requestId: `${id}/${n}`,
        tenantId: batch.tenantId,
        operation: 'batch',
        model: batch.model,
        version: batch.version,
        tasks: batch.tasks,
        items: texts,
        inputTokens: tokens,
        latencyMs: Date.now() - started,
        backend: 'wasm',
        status: 200,
      })
      .onConflictDoNothing({ target: usageEvents.eventId }),
  ]);
  await finishIfComplete(env, id, batch.chunks);
}

async function finishIfComplete(env: Env, id: string, chunks: number): Promise<void> {
  const db = dbOf(env.DB);
  if ((await chunkCounts(db, id)).chunks === chunks) await endBatch(env, db, id, 'completed');
}

/** Chimera's lines: MAX_INPUTS inputs a run; a run that fails fails its inputs. */
async function runChunk(model: LoadedModel, items: ChunkInput[], tasks: string[], group: number) {
  const results: string[] = [],
    errors: string[] = [];
  let tokens = 0;
  for (let i = 0; i < items.length; i += group) {
    const part = items.slice(i, i + group);
    try {
      const out = await infer(
        model,
        part.map((p) => p.input),
        tasks,
      );
      tokens += out.inputTokens;
      for (const [k, p] of part.entries()) results.push(JSON.stringify({ custom_id: p.custom_id, line: p.line, results: out.results[k] }));
    } catch (e) {
      for (const p of part) errors.push(JSON.stringify({ line: p.line, custom_id: p.custom_id, error: (e as Error).message }));
    }
  }
  return { results, errors, tokens, texts: items.length };
}

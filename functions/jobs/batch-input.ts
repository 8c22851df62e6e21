// Reads a validating batch's input file into chunks, in the queue rather than in the
// request that started the batch. Lines are split in linear time and a line over
// MAX_LINE_CHARS is one error line, dropped as it streams; the job yields to the event
// loop as it goes, so requests sharing the isolate (/healthz among them) are not held
// up by a large file. A retried attempt writes the same chunk objects again; the one
// update out of `validating` decides, so chunks are queued once.
import { and, eq } from 'drizzle-orm';
import { batches, files } from '../../schemas/db/schema.ts';
import { endBatch } from '../domain/batches/end.ts';
import { BatchInputWriter } from '../domain/batches/inputs.ts';
import { queueChunks } from '../domain/batches/start.ts';
import { batchKeys } from '../domain/batches/storage.ts';
import { openAiErrorLine, readOpenAiLine } from '../domain/openai/batch-lines.ts';
import { limits } from '../infra/config.ts';
import { dbOf } from '../infra/db.ts';
import { lines } from '../infra/jsonl.ts';

/** lines between two yields to the event loop */
const LINES_PER_SLICE = 256;
const nextTick = () => new Promise((resolve) => setTimeout(resolve, 0));

export async function readBatchInput(env: Env, id: string): Promise<void> {
  const db = dbOf(env.DB);
  const [batch] = await db.select().from(batches).where(eq(batches.id, id));
  if (batch?.status !== 'validating') return; // read already, or cancelled
  if (Date.now() > batch.expiresAt) {
    await endBatch(env, db, id, 'expired');
    return;
  }
  const [file] = await db
    .select()
    .from(files)
    .where(and(eq(files.id, batch.inputFileId ?? ''), eq(files.tenantId, batch.tenantId)));
  const object = file && (await env.MODELS.get(batchKeys.file(file.id)));
  if (!object) {
    await endBatch(env, db, id, 'failed', `input file "${batch.inputFileId}" is gone`);
    return;
  }

  const { maxTextChars, maxLineChars } = limits(env);
  // an OpenAI batch's lines are requests in OpenAI's format, and so are its error lines
  const openai = batch.format === 'openai';
  const writer = new BatchInputWriter(env.MODELS, id, maxTextChars, openai ? openAiErrorLine(id) : undefined);
  let n = 0;
  for await (const line of lines(object.body, maxLineChars)) {
    if (++n % LINES_PER_SLICE === 0) await nextTick();
    if (line.tooLong) {
      writer.reject(n, `the line is longer than ${maxLineChars} characters`);
      continue;
    }
    if (!line.text.trim()) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.text);
    } catch {
      writer.reject(n, 'not valid JSON');
      continue;
    }
    if (!openai) {
      await writer.accept(n, parsed);
      continue;
    }
    const item = readOpenAiLine(n, parsed, batch.model, maxTextChars);
    if ('error' in item) writer.reject(n, item.error, item.customId);
    else await writer.add(item);
  }
  const counts = await writer.finish();

  const [read] = await db
    .update(batches)
    .set({ status: 'queued', ...counts, updatedAt: Date.now() })
    .where(and(eq(batches.id, id), eq(batches.status, 'validating')))
    .returning();
  if (!read) return; // cancelled meanwhile
  if (counts.chunks === 0) await endBatch(env, db, id, 'completed');
  else await queueChunks(env, id, counts.chunks);
}

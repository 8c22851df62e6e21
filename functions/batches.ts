// Batch jobs: R2 layout, tenant-scoped lookups, counts derived from finished chunks.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { Batch } from '../schemas/api/batches.ts';
import { batchChunks, batches } from '../schemas/db/schema.ts';
import { ApiError } from './problem.ts';

export const CHUNK_SIZE = 256;
export type BatchRow = typeof batches.$inferSelect;
export interface ChunkInput {
  line: number;
  custom_id: string;
  input: string;
}

export const batchKeys = {
  input: (id: string, n: number) => `batches/${id}/in/${n}.json`,
  output: (id: string, n: number) => `batches/${id}/out/${n}.jsonl`,
  errors: (id: string, n: number) => `batches/${id}/err/${n}.jsonl`,
  parseErrors: (id: string) => `batches/${id}/err/parse.jsonl`,
  file: (id: string) => `files/${id}.jsonl`,
};

export async function findBatch(db: DrizzleD1Database, tenantId: string, id: string): Promise<BatchRow> {
  const [row] = await db
    .select()
    .from(batches)
    .where(and(eq(batches.id, id), eq(batches.tenantId, tenantId)));
  if (!row) throw new ApiError(404, 'batch-not-found', `no batch "${id}"`);
  return row;
}

interface ChunkCounts {
  chunks: number;
  completed: number;
  failed: number;
}
const NONE: ChunkCounts = { chunks: 0, completed: 0, failed: 0 };

/** Finished chunks and their line counts, per batch, in one query. */
async function chunkCountsOf(db: DrizzleD1Database, ids: string[]): Promise<Map<string, ChunkCounts>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({
      id: batchChunks.batchId,
      chunks: sql<number>`count(*)`,
      completed: sql<number>`sum(${batchChunks.completed})`,
      failed: sql<number>`sum(${batchChunks.failed})`,
    })
    .from(batchChunks)
    .where(inArray(batchChunks.batchId, ids))
    .groupBy(batchChunks.batchId);
  return new Map(rows.map(({ id, ...c }) => [id, c]));
}

export const chunkCounts = async (db: DrizzleD1Database, id: string): Promise<ChunkCounts> =>
  (await chunkCountsOf(db, [id])).get(id) ?? NONE;

const toView = (b: BatchRow, c: ChunkCounts) =>
  Batch.parse({
    id: b.id,
    model: b.model,
    version: b.version,
    tasks: b.tasks,
    status: b.status,
    counts: { total: b.total, completed: c.completed, failed: c.failed, invalid: b.invalid },
    metadata: b.metadata,
    error: b.error,
    created_at: new Date(b.createdAt).toISOString(),
    expires_at: new Date(b.expiresAt).toISOString(),
  });

/** API views of several batches (a listing), counting their chunks in one query. */
export async function batchViews(db: DrizzleD1Database, rows: BatchRow[]) {
  const counts = await chunkCountsOf(
    db,
    rows.map((b) => b.id),
  );
  return rows.map((b) => toView(b, counts.get(b.id) ?? NONE));
}

export const batchView = async (db: DrizzleD1Database, b: BatchRow) => (await batchViews(db, [b]))[0]!;

/** Splits a JSONL stream into lines without holding the file. */
export async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
  // only the new chunk is searched, so a file is split in linear time however its lines run
  let carry = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    let start = 0;
    for (let nl = value.indexOf('\n'); nl >= 0; nl = value.indexOf('\n', start)) {
      yield (carry + value.slice(start, nl)).replace(/\r$/, '');
      carry = '';
      start = nl + 1;
    }
    carry += value.slice(start);
  }
  if (carry.length) yield carry;
}

/** Concatenates R2 objects in order as one stream (missing ones are skipped). */
export function concatObjects(bucket: R2Bucket, keys: string[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    async pull(controller) {
      while (i < keys.length) {
        const object = await bucket.get(keys[i++]!);
        if (!object) continue;
        const bytes = new Uint8Array(await object.arrayBuffer());
        if (bytes.length) {
          controller.enqueue(bytes);
          return;
        }
      }
      controller.close();
    },
  });
}

// Batch jobs as the API sees them: tenant-scoped lookups, and counts derived from
// finished chunks (one row per chunk), so a redelivered chunk is counted once. /v1 sees
// Chimera's batches, /openai/v1 OpenAI's (domain/openai/batches.ts): their lines differ.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { Batch } from '../../../schemas/api/batches.ts';
import { ApiError } from '../../../schemas/api/problems.ts';
import { batchChunks, batches } from '../../../schemas/db/schema.ts';
import type { BatchFormat } from '../../../schemas/vocabulary.ts';
import type { Db } from '../../infra/db.ts';

export type BatchRow = typeof batches.$inferSelect;

export async function findBatch(db: Db, tenantId: string, id: string): Promise<BatchRow> {
  const [row] = await db
    .select()
    .from(batches)
    .where(and(eq(batches.id, id), eq(batches.tenantId, tenantId), eq(batches.format, 'chimera')));
  if (!row) throw new ApiError('batch-not-found', `no batch "${id}"`);
  return row;
}

interface ChunkCounts {
  chunks: number;
  completed: number;
  failed: number;
}
const NONE: ChunkCounts = { chunks: 0, completed: 0, failed: 0 };

/** Finished chunks and their line counts, per batch, in one query. */
async function chunkCountsOf(db: Db, ids: string[]): Promise<Map<string, ChunkCounts>> {
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

export const chunkCounts = async (db: Db, id: string): Promise<ChunkCounts> => (await chunkCountsOf(db, [id])).get(id) ?? NONE;

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
export async function batchViews(db: Db, rows: BatchRow[]) {
  const counts = await chunkCountsOf(
    db,
    rows.map((b) => b.id),
  );
  return rows.map((b) => toView(b, counts.get(b.id) ?? NONE));
}

/** The tenant's last 100 batches of a format (OpenAI's are listed on /openai/v1), newest first. */
export const listBatches = (db: Db, tenantId: string, format: BatchFormat = 'chimera'): Promise<BatchRow[]> =>
  db
    .select()
    .from(batches)
    .where(and(eq(batches.tenantId, tenantId), eq(batches.format, format)))
    .orderBy(desc(batches.createdAt))
    .limit(100);

/** The API's (and the batch webhooks') view of a batch. */
export const batchView = async (db: Db, b: BatchRow) => (await batchViews(db, [b]))[0]!;

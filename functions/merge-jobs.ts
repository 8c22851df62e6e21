// Merge jobs as rows: the API creates them, the queue consumer advances them.
import { and, eq } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { MergeJob } from '../schemas/api/merges.ts';
import { merges } from '../schemas/db/schema.ts';
import { ApiError } from './problem.ts';

export type MergeRow = typeof merges.$inferSelect;

export async function findMerge(db: DrizzleD1Database, tenantId: string, id: string): Promise<MergeRow> {
  const [row] = await db
    .select()
    .from(merges)
    .where(and(eq(merges.id, id), eq(merges.tenantId, tenantId)));
  if (!row) throw new ApiError(404, 'merge-not-found', `no merge "${id}"`);
  return row;
}

export const mergeView = (r: MergeRow) =>
  MergeJob.parse({
    id: r.id,
    model: r.model,
    status: r.status,
    progress: r.progress,
    attempts: r.attempts,
    error: r.error,
    version: r.version,
    request: r.request,
    created_at: new Date(r.createdAt).toISOString(),
    updated_at: new Date(r.updatedAt).toISOString(),
  });

// Merge jobs as rows: the API creates them and queues the work; the queue consumer
// (functions/jobs/merge.ts) advances them.
import { and, desc, eq } from 'drizzle-orm';
import { type CreateMerge, MergeJob } from '../../schemas/api/merges.ts';
import { ApiError } from '../../schemas/api/problems.ts';
import { merges } from '../../schemas/db/schema.ts';
import type { Db } from '../infra/db.ts';
import { requireFile } from './batches/files.ts';
import { enqueue } from './queue.ts';
import { findOwnModel, requireVersions } from './registry.ts';
import { checkWebhook } from './webhooks/events.ts';

export type MergeRow = typeof merges.$inferSelect;

export async function createMerge(env: Env, db: Db, tenantId: string, request: CreateMerge): Promise<MergeRow> {
  const model = await findOwnModel(db, tenantId, request.model);
  await checkWebhook(env, request.webhook);
  await requireVersions(db, model, [...(request.base ? [request.base] : []), ...request.experts.map((e) => e.version)]);
  if (request.unlabelled_file) await requireFile(db, tenantId, request.unlabelled_file);
  const [row] = await db
    .insert(merges)
    .values({ id: crypto.randomUUID(), tenantId, model: request.model, request, status: 'queued' })
    .returning();
  await enqueue(env, { kind: 'merge', id: row!.id });
  return row!;
}

export async function findMerge(db: Db, tenantId: string, id: string): Promise<MergeRow> {
  const [row] = await db
    .select()
    .from(merges)
    .where(and(eq(merges.id, id), eq(merges.tenantId, tenantId)));
  if (!row) throw new ApiError('merge-not-found', `no merge "${id}"`);
  return row;
}

/** The tenant's merges, newest first (the last 100). */
export const listMerges = (db: Db, tenantId: string): Promise<MergeRow[]> =>
  db.select().from(merges).where(eq(merges.tenantId, tenantId)).orderBy(desc(merges.createdAt)).limit(100);

/** The API's (and the merge webhooks') view of a merge job. */
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

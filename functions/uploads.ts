// Upload sessions belong to one tenant; any other caller is told they do not exist.
import { and, eq } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { uploads } from '../schemas/db/schema.ts';
import { Manifest } from '../schemas/manifest.ts';
import { ApiError } from './problem.ts';

export async function findUpload(db: DrizzleD1Database, tenantId: string, id: string) {
  const [row] = await db
    .select()
    .from(uploads)
    .where(and(eq(uploads.id, id), eq(uploads.tenantId, tenantId)));
  if (!row) throw new ApiError(404, 'upload-not-found', `no upload "${id}"`);
  return { ...row, manifest: Manifest.parse(row.manifest) };
}

export const uploadView = (row: { id: string; model: string; status: string; manifest: Manifest }) => ({
  upload_id: row.id,
  model: row.model,
  status: row.status as 'open' | 'committed',
  files: row.manifest.files.map((f) => ({
    path: f.path,
    bytes: f.bytes,
    sha256: f.sha256,
    upload_url: `/v1/uploads/${row.id}/files/${encodeURIComponent(f.path)}`,
  })),
  commit_url: `/v1/uploads/${row.id}/commit`,
});

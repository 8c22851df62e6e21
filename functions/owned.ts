// Writes go only to the caller's own models; public ones are read-only to tenants.
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { ApiError } from './problem.ts';
import { findModel, type ModelRow, PUBLIC_OWNER } from './registry.ts';

export async function findOwnModel(db: DrizzleD1Database, tenantId: string, name: string): Promise<ModelRow> {
  const model = await findModel(db, tenantId, name);
  if (model.owner === PUBLIC_OWNER) throw new ApiError(403, 'read-only', `"${name}" is a public model: it can be called but not changed`);
  return model;
}

import { eq } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { tenants } from '../schemas/db/schema.ts';
import { ApiError } from './problem.ts';

export async function findTenant(db: DrizzleD1Database, id: string) {
  const [row] = await db.select().from(tenants).where(eq(tenants.id, id));
  if (!row) throw new ApiError(404, 'tenant-not-found', `no tenant "${id}"`);
  return row;
}

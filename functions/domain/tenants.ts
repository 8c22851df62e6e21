// Tenants: created by the admin API (or idempotently by seeding), found by id.
import { eq } from 'drizzle-orm';
import { ApiError } from '../../schemas/api/problems.ts';
import { tenants } from '../../schemas/db/schema.ts';
import type { Db } from '../infra/db.ts';

export type TenantRow = typeof tenants.$inferSelect;

/** Creates the tenant if there is none by that id (seeding, the CLI); its id either way. */
export async function ensureTenant(db: Db, name: string, id: string = crypto.randomUUID()): Promise<string> {
  await db.insert(tenants).values({ id, name }).onConflictDoNothing();
  return id;
}

/** A new tenant; 409 when the id is taken. */
export async function createTenant(db: Db, name: string, id: string = crypto.randomUUID()): Promise<TenantRow> {
  const [row] = await db.insert(tenants).values({ id, name }).onConflictDoNothing().returning();
  if (!row) throw new ApiError('tenant-exists', `tenant "${id}" exists already`);
  return row;
}

export async function findTenant(db: Db, id: string): Promise<TenantRow> {
  const [row] = await db.select().from(tenants).where(eq(tenants.id, id));
  if (!row) throw new ApiError('tenant-not-found', `no tenant "${id}"`);
  return row;
}

export const listTenants = (db: Db): Promise<TenantRow[]> => db.select().from(tenants).orderBy(tenants.createdAt);

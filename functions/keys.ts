// API keys: shown once, stored as a sha256, found by their first characters.
import { and, eq, isNull } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { sha256Hex } from '../models/hash.ts';
import { apiKeys, tenants } from '../schemas/db/schema.ts';

export const SCOPES = ['infer', 'models:write', 'batches', 'usage:read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];
const PREFIX_LENGTH = 12; // "chm_" + 8 characters

function randomToken(bytes: number): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...raw))
    .replace(/\+/g, 'A')
    .replace(/\//g, 'B')
    .replace(/=+$/, '');
}

export const keyPrefix = (key: string): string => key.slice(0, PREFIX_LENGTH);
export const hashKey = (key: string): Promise<string> => sha256Hex(key);

export async function issueKey(
  db: DrizzleD1Database,
  tenantId: string,
  scopes: readonly Scope[],
  name = '',
): Promise<{ id: string; key: string; prefix: string }> {
  const key = `chm_${randomToken(30)}`;
  const id = crypto.randomUUID();
  await db.insert(apiKeys).values({ id, tenantId, prefix: keyPrefix(key), hash: await hashKey(key), scopes: [...scopes], name });
  return { id, key, prefix: keyPrefix(key) };
}

export async function createTenant(db: DrizzleD1Database, name: string, id: string = crypto.randomUUID()): Promise<string> {
  await db.insert(tenants).values({ id, name }).onConflictDoNothing();
  return id;
}

export async function findKey(db: DrizzleD1Database, key: string) {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.prefix, keyPrefix(key)))
    .limit(1);
  if (!row || row.revokedAt !== null || row.hash !== (await hashKey(key))) return undefined;
  return row;
}

export type KeyRow = typeof apiKeys.$inferSelect;

export const listKeys = (db: DrizzleD1Database, tenantId: string): Promise<KeyRow[]> =>
  db.select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(apiKeys.createdAt);

/** Revokes a live key of the tenant; undefined when there is none by that id. */
export async function revokeKey(db: DrizzleD1Database, tenantId: string, keyId: string): Promise<KeyRow | undefined> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: Date.now() })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt)))
    .returning();
  return row;
}

/** A new key with the old one's name and scopes; the old one is revoked in the same batch. */
export async function rotateKey(db: DrizzleD1Database, tenantId: string, keyId: string) {
  const [old] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt)));
  if (!old) return undefined;
  const key = `chm_${randomToken(30)}`;
  const id = crypto.randomUUID();
  await db.batch([
    db.insert(apiKeys).values({ id, tenantId, prefix: keyPrefix(key), hash: await hashKey(key), scopes: old.scopes, name: old.name }),
    db.update(apiKeys).set({ revokedAt: Date.now() }).where(eq(apiKeys.id, old.id)),
  ]);
  return { id, key, prefix: keyPrefix(key), replaced: old.id };
}

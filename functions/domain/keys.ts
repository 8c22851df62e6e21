// API keys: shown once, stored as a sha256, found by their first characters. Revoking
// or rotating a key forgets this isolate's cached lookups at once; other isolates stop
// accepting it within CACHE_TTL_MS.
import { and, eq, isNull } from 'drizzle-orm';
import { sha256Hex } from '../../models/hash.ts';
import { SCOPES, type Scope } from '../../schemas/api/admin.ts';
import { apiKeys } from '../../schemas/db/schema.ts';
import type { Db } from '../infra/db.ts';
import { TtlCache } from '../infra/ttl-cache.ts';

export { SCOPES, type Scope };
export type KeyRow = typeof apiKeys.$inferSelect;

const PREFIX_LENGTH = 12; // "chm_" + 8 characters

/** key → its row, or null when unknown or revoked (module scope: lives across requests) */
const keyCache = new TtlCache<KeyRow | null>();

function randomToken(bytes: number): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...raw))
    .replace(/\+/g, 'A')
    .replace(/\//g, 'B')
    .replace(/=+$/, '');
}

export const keyPrefix = (key: string): string => key.slice(0, PREFIX_LENGTH);
export const hashKey = (key: string): Promise<string> => sha256Hex(key);

async function newKey(): Promise<{ key: string; prefix: string; hash: string }> {
  const key = `chm_${randomToken(30)}`;
  return { key, prefix: keyPrefix(key), hash: await hashKey(key) };
}

/** A new key (its secret is returned this once) and its row. */
export async function issueKey(db: Db, tenantId: string, scopes: readonly Scope[], name = ''): Promise<{ key: string; row: KeyRow }> {
  const { key, prefix, hash } = await newKey();
  const [row] = await db
    .insert(apiKeys)
    .values({ id: crypto.randomUUID(), tenantId, prefix, hash, scopes: [...scopes], name })
    .returning();
  return { key, row: row! };
}

/** The live key's row, or undefined. */
export async function findKey(db: Db, key: string): Promise<KeyRow | undefined> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.prefix, keyPrefix(key)))
    .limit(1);
  if (!row || row.revokedAt !== null || row.hash !== (await hashKey(key))) return undefined;
  return row;
}

/** findKey through this isolate's cache (`ttlMs` 0: always D1). */
export const authenticate = (db: Db, key: string, ttlMs: number): Promise<KeyRow | null> =>
  keyCache.get(key, ttlMs, async () => (await findKey(db, key)) ?? null);

export const listKeys = (db: Db, tenantId: string): Promise<KeyRow[]> =>
  db.select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(apiKeys.createdAt);

/** Revokes a live key of the tenant; undefined when there is none by that id. */
export async function revokeKey(db: Db, tenantId: string, keyId: string): Promise<KeyRow | undefined> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: Date.now() })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt)))
    .returning();
  keyCache.clear();
  return row;
}

/** A new key with the old one's name and scopes; the old one is revoked in the same batch. */
export async function rotateKey(db: Db, tenantId: string, keyId: string): Promise<{ key: string; row: KeyRow } | undefined> {
  const [old] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt)));
  if (!old) return undefined;
  const { key, prefix, hash } = await newKey();
  const [[row]] = await db.batch([
    db.insert(apiKeys).values({ id: crypto.randomUUID(), tenantId, prefix, hash, scopes: old.scopes, name: old.name }).returning(),
    db.update(apiKeys).set({ revokedAt: Date.now() }).where(eq(apiKeys.id, old.id)),
  ]);
  keyCache.clear();
  return { key, row: row! };
}

// API keys: shown once, stored as a sha256, found by their first characters. Revoking,
// rotating or changing a key forgets this isolate's cached lookups at once; other
// isolates see it within CACHE_TTL_MS. Secret keys (chm_…) carry scopes; publishable
// keys (chm_pk_…) only infer, on the models and from the origins named on them.
import { and, eq, isNull } from 'drizzle-orm';
import { sha256Hex } from '../../models/hash.ts';
import { SCOPES, type Scope } from '../../schemas/api/admin.ts';
import { apiKeys } from '../../schemas/db/schema.ts';
import type { KeyKind } from '../../schemas/vocabulary.ts';
import type { Db } from '../infra/db.ts';
import { TtlCache } from '../infra/ttl-cache.ts';

export { SCOPES, type Scope };
export type KeyRow = typeof apiKeys.$inferSelect;

/** A secret key's random part is letters and digits only, so no secret key starts so. */
export const PUBLISHABLE_PREFIX = 'chm_pk_';
export const isPublishable = (key: string): boolean => key.startsWith(PUBLISHABLE_PREFIX);

/** What a publishable key is limited to; null fields of `origins` mean the tenant's default. */
export interface PublishableLimits {
  models: string[];
  origins: string[] | null;
}

/** key → its row, or null when unknown or revoked (module scope: lives across requests) */
const keyCache = new TtlCache<KeyRow | null>();

function randomToken(bytes: number): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...raw))
    .replace(/\+/g, 'A')
    .replace(/\//g, 'B')
    .replace(/=+$/, '');
}

/** "chm_" or "chm_pk_", then 8 random characters: shown in listings, and how a key is found */
export const keyPrefix = (key: string): string => key.slice(0, isPublishable(key) ? PUBLISHABLE_PREFIX.length + 8 : 12);
export const hashKey = (key: string): Promise<string> => sha256Hex(key);

async function newKey(kind: KeyKind): Promise<{ key: string; prefix: string; hash: string }> {
  const key = `${kind === 'publishable' ? PUBLISHABLE_PREFIX : 'chm_'}${randomToken(30)}`;
  return { key, prefix: keyPrefix(key), hash: await hashKey(key) };
}

/** A new key (its secret is returned this once) and its row; `publishable` makes a
 * publishable key (scope infer only) limited to those models and origins. */
export async function issueKey(
  db: Db,
  tenantId: string,
  scopes: readonly Scope[],
  name = '',
  publishable?: PublishableLimits,
): Promise<{ key: string; row: KeyRow }> {
  const { key, prefix, hash } = await newKey(publishable ? 'publishable' : 'secret');
  const limitsOf = publishable
    ? { kind: 'publishable' as const, scopes: ['infer' as const], models: publishable.models, origins: publishable.origins }
    : { scopes: [...scopes] };
  const [row] = await db
    .insert(apiKeys)
    .values({ id: crypto.randomUUID(), tenantId, prefix, hash, name, ...limitsOf })
    .returning();
  return { key, row: row! };
}

/** Changes a live publishable key's name, models or origins in place (the key itself
 * stays, so pages that carry it keep working); undefined when there is none by that id. */
export async function updatePublishableKey(
  db: Db,
  tenantId: string,
  keyId: string,
  patch: { name?: string; models?: string[]; origins?: string[] | null },
): Promise<KeyRow | undefined> {
  const where = and(eq(apiKeys.id, keyId), eq(apiKeys.tenantId, tenantId), eq(apiKeys.kind, 'publishable'), isNull(apiKeys.revokedAt));
  // a PATCH naming no field changes nothing (an UPDATE needs at least one column)
  if (!Object.keys(patch).length) return (await db.select().from(apiKeys).where(where))[0];
  const [row] = await db.update(apiKeys).set(patch).where(where).returning();
  keyCache.clear();
  return row;
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

/** The tenant's keys (of one kind, if given), oldest first. */
export const listKeys = (db: Db, tenantId: string, kind?: KeyKind): Promise<KeyRow[]> =>
  db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), kind ? eq(apiKeys.kind, kind) : undefined))
    .orderBy(apiKeys.createdAt);

const live = (tenantId: string, keyId: string, kind?: KeyKind) =>
  and(eq(apiKeys.id, keyId), eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt), kind ? eq(apiKeys.kind, kind) : undefined);

/** Revokes a live key of the tenant (of one kind, if given); undefined when there is none by that id. */
export async function revokeKey(db: Db, tenantId: string, keyId: string, kind?: KeyKind): Promise<KeyRow | undefined> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: Date.now() })
    .where(live(tenantId, keyId, kind))
    .returning();
  keyCache.clear();
  return row;
}

/** A new key with the old one's name, kind, scopes, models and origins; the old one is
 * revoked in the same batch. */
export async function rotateKey(
  db: Db,
  tenantId: string,
  keyId: string,
  kind?: KeyKind,
): Promise<{ key: string; row: KeyRow } | undefined> {
  const [old] = await db
    .select()
    .from(apiKeys)
    .where(live(tenantId, keyId, kind));
  if (!old) return undefined;
  const { key, prefix, hash } = await newKey(old.kind);
  const { scopes, name, models, origins } = old;
  const [[row]] = await db.batch([
    db
      .insert(apiKeys)
      .values({ id: crypto.randomUUID(), tenantId, prefix, hash, kind: old.kind, scopes, name, models, origins })
      .returning(),
    db.update(apiKeys).set({ revokedAt: Date.now() }).where(eq(apiKeys.id, old.id)),
  ]);
  keyCache.clear();
  return { key, row: row! };
}

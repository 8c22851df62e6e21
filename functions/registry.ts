// Finds models and versions a tenant may see: its own and the public ones. Anything
// else is answered exactly as if it did not exist.
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { fnv1a } from '../models/hash.ts';
import { type AliasTarget, aliases, models, modelVersions } from '../schemas/db/schema.ts';
import { Manifest } from '../schemas/manifest.ts';
import { ApiError } from './problem.ts';
import { TtlCache } from './ttl-cache.ts';

export const PUBLIC_OWNER = 'public';

export type ModelRow = typeof models.$inferSelect;
export interface ResolvedVersion {
  id: string;
  number: number;
  manifest: Manifest;
  alias: string | null;
}

// Per-isolate caches of what resolution reads from D1. Versions are immutable, so they
// are kept as long as the isolate lives; model names and aliases for `ttlMs`.
const modelCache = new TtlCache<ModelRow | null>();
const aliasCache = new TtlCache<AliasTarget[] | null>();
const versionCache = new Map<string, ResolvedVersion>();

/** Forgets what this isolate read of a tenant's models and aliases (after it changes them). */
export function forgetResolutions(): void {
  modelCache.clear();
  aliasCache.clear();
}

/** A tenant's own model shadows a public one of the same name. */
export async function findModel(db: DrizzleD1Database, tenantId: string, name: string, ttlMs = 0): Promise<ModelRow> {
  const row = await modelCache.get(`${tenantId}/${name}`, ttlMs, async () => {
    const rows = await db
      .select()
      .from(models)
      .where(and(eq(models.name, name), inArray(models.owner, [tenantId, PUBLIC_OWNER])));
    return rows.find((r) => r.owner === tenantId) ?? rows[0] ?? null;
  });
  if (!row) throw new ApiError(404, 'model-not-found', `no model named "${name}"`);
  return row;
}

/** A stable point in [0, 1) for a routing key, so one end user keeps one version:
 * FNV-1a, then murmur3's finalizer so that similar keys ("user-1", "user-2") spread. */
export function routingRoll(key: string, salt: string): number {
  let h = fnv1a(`${salt}\u0000${key}`);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** Picks one target by weight; `roll` in [0, 1). */
export function pickTarget(targets: AliasTarget[], roll: number): number {
  const total = targets.reduce((s, t) => s + t.weight, 0);
  let x = roll * total;
  for (const t of targets) {
    x -= t.weight;
    if (x < 0) return t.version;
  }
  return targets[targets.length - 1]!.version;
}

export async function resolveVersion(
  db: DrizzleD1Database,
  model: ModelRow,
  want: { version?: number; alias?: string; routingKey?: string },
  ttlMs = 0,
): Promise<ResolvedVersion> {
  let number = want.version;
  const alias = number === undefined ? (want.alias ?? 'prod') : null;
  if (alias !== null) {
    const targets = await aliasCache.get(`${model.id}/${alias}`, ttlMs, async () => {
      const [row] = await db
        .select()
        .from(aliases)
        .where(and(eq(aliases.modelId, model.id), eq(aliases.name, alias)));
      return row?.targets.length ? row.targets : null;
    });
    if (!targets) throw new ApiError(404, 'alias-not-found', `model "${model.name}" has no alias "${alias}"`);
    const roll = want.routingKey ? routingRoll(want.routingKey, `${model.id}/${alias}`) : Math.random();
    number = pickTarget(targets, roll);
  }
  const key = `${model.id}/${number}`;
  let version = versionCache.get(key);
  if (!version) {
    const [row] = await db
      .select()
      .from(modelVersions)
      .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.number, number!)));
    if (!row) throw new ApiError(404, 'version-not-found', `model "${model.name}" has no version ${number}`);
    version = { id: row.id, number: row.number, manifest: Manifest.parse(row.manifest), alias: null };
    if (versionCache.size >= 1_000) versionCache.clear();
    versionCache.set(key, version);
  }
  return { ...version, alias };
}

export async function listVersions(db: DrizzleD1Database, modelId: string) {
  return db.select().from(modelVersions).where(eq(modelVersions.modelId, modelId)).orderBy(desc(modelVersions.number));
}

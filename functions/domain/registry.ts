// Finds models and versions a tenant may see: its own and the public ones. Anything
// else is answered exactly as if it did not exist.
import { and, desc, eq, inArray, max, sql } from 'drizzle-orm';
import { fnv1a } from '../../models/hash.ts';
import { ApiError } from '../../schemas/api/problems.ts';
import { type AliasTarget, aliases, models, modelVersions } from '../../schemas/db/schema.ts';
import { Manifest } from '../../schemas/manifest.ts';
import type { Db } from '../infra/db.ts';
import { TtlCache } from '../infra/ttl-cache.ts';

export const PUBLIC_OWNER = 'public';

export type ModelRow = typeof models.$inferSelect;
export type VersionRow = typeof modelVersions.$inferSelect;
export interface ResolvedVersion {
  id: string;
  number: number;
  manifest: Manifest;
  alias: string | null;
}

// Per-isolate caches of what resolution reads from D1. They live at module scope, across
// requests. Versions are immutable, so they are kept as long as the isolate lives; model
// names and aliases for the caller's TTL (CACHE_TTL_MS).
const modelCache = new TtlCache<ModelRow | null>();
const aliasCache = new TtlCache<AliasTarget[] | null>();
const versionCache = new Map<string, ResolvedVersion>();

/** Forgets what this isolate read of models and aliases. Every write that changes them
 * calls it; other isolates see the change within CACHE_TTL_MS. */
export function forgetResolutions(): void {
  modelCache.clear();
  aliasCache.clear();
}

/** A tenant's own model shadows a public one of the same name. */
const shadowing = (rows: ModelRow[], tenantId: string): ModelRow | null => rows.find((r) => r.owner === tenantId) ?? rows[0] ?? null;
const visibleNamed = (tenantId: string, name: string) => and(eq(models.name, name), inArray(models.owner, [tenantId, PUBLIC_OWNER]));

/** The model of that name the tenant may call: its own, or a public one (404 if neither). */
export async function findModel(db: Db, tenantId: string, name: string, ttlMs = 0): Promise<ModelRow> {
  const row = await modelCache.get(`${tenantId}/${name}`, ttlMs, async () =>
    shadowing(await db.select().from(models).where(visibleNamed(tenantId, name)), tenantId),
  );
  if (!row) throw new ApiError('model-not-found', `no model named "${name}"`);
  return row;
}

/** a join condition: the version is one of the alias's targets */
const namedByTargets = sql`${modelVersions.number} in (select json_extract(value, '$.version') from json_each(${aliases.targets}))`;

/** findModel for a request about to resolve `want`: when the model is not cached, the
 * alias asked for (or the pinned version) and the versions it names come in the same
 * query and are kept for resolveVersion. Each query is a D1 round trip, paid by a cold
 * isolate's request and by the first one after the TTL. */
export async function findModelFor(
  db: Db,
  tenantId: string,
  name: string,
  want: { version?: number; alias?: string },
  ttlMs: number,
): Promise<ModelRow> {
  if (ttlMs > 0 && !modelCache.has(`${tenantId}/${name}`)) {
    const alias = want.version === undefined ? (want.alias ?? 'prod') : null;
    const rows = await db
      .select({ model: models, targets: aliases.targets, version: modelVersions })
      .from(models)
      // a pinned version joins no alias
      .leftJoin(aliases, and(eq(aliases.modelId, models.id), alias === null ? sql`0` : eq(aliases.name, alias)))
      .leftJoin(
        modelVersions,
        and(eq(modelVersions.modelId, models.id), alias === null ? eq(modelVersions.number, want.version!) : namedByTargets),
      )
      .where(visibleNamed(tenantId, name));
    const model = shadowing(
      rows.map((r) => r.model),
      tenantId,
    );
    modelCache.set(`${tenantId}/${name}`, model, ttlMs);
    if (model) {
      const its = rows.filter((r) => r.model.id === model.id);
      if (alias !== null) aliasCache.set(`${model.id}/${alias}`, its[0]?.targets?.length ? its[0].targets : null, ttlMs);
      for (const { version } of its) if (version) keepVersion(model.id, version);
    }
  }
  return findModel(db, tenantId, name, ttlMs);
}

/** Writes go only to the caller's own models; public ones are read-only to tenants. */
export async function findOwnModel(db: Db, tenantId: string, name: string): Promise<ModelRow> {
  const model = await findModel(db, tenantId, name);
  if (model.owner === PUBLIC_OWNER) throw new ApiError('read-only', `"${name}" is a public model: it can be called but not changed`);
  return model;
}

/** The models a tenant can call, with each one's latest version number. */
export async function listModels(db: Db, tenantId: string): Promise<{ row: ModelRow; latest: number | null }[]> {
  const rows = await db
    .select()
    .from(models)
    .where(inArray(models.owner, [tenantId, PUBLIC_OWNER]))
    .orderBy(models.name);
  if (rows.length === 0) return [];
  const latest = await db
    .select({ id: modelVersions.modelId, n: max(modelVersions.number) })
    .from(modelVersions)
    .where(
      inArray(
        modelVersions.modelId,
        rows.map((r) => r.id),
      ),
    )
    .groupBy(modelVersions.modelId);
  return rows.map((row) => ({ row, latest: latest.find((l) => l.id === row.id)?.n ?? null }));
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

/** Versions are immutable: once read, kept for the isolate's life. */
function keepVersion(modelId: string, row: VersionRow): ResolvedVersion {
  const version = { id: row.id, number: row.number, manifest: Manifest.parse(row.manifest), alias: null };
  if (versionCache.size >= 1_000) versionCache.clear();
  versionCache.set(`${modelId}/${row.number}`, version);
  return version;
}

/** An alias's targets. The versions they name come in the same query (and are kept):
 * on a cold isolate each query is a D1 round trip, and one of them is about to be asked for. */
function aliasTargets(db: Db, model: ModelRow, alias: string, ttlMs: number): Promise<AliasTarget[] | null> {
  return aliasCache.get(`${model.id}/${alias}`, ttlMs, async () => {
    const rows = await db
      .select({ targets: aliases.targets, version: modelVersions })
      .from(aliases)
      .leftJoin(modelVersions, and(eq(modelVersions.modelId, aliases.modelId), namedByTargets))
      .where(and(eq(aliases.modelId, model.id), eq(aliases.name, alias)));
    for (const { version } of rows) if (version) keepVersion(model.id, version);
    const targets = rows[0]?.targets;
    return targets?.length ? targets : null;
  });
}

export async function resolveVersion(
  db: Db,
  model: ModelRow,
  want: { version?: number; alias?: string; routingKey?: string },
  ttlMs = 0,
): Promise<ResolvedVersion> {
  let number = want.version;
  const alias = number === undefined ? (want.alias ?? 'prod') : null;
  if (alias !== null) {
    const targets = await aliasTargets(db, model, alias, ttlMs);
    if (!targets) throw new ApiError('alias-not-found', `model "${model.name}" has no alias "${alias}"`);
    const roll = want.routingKey ? routingRoll(want.routingKey, `${model.id}/${alias}`) : Math.random();
    number = pickTarget(targets, roll);
  }
  let version = versionCache.get(`${model.id}/${number}`);
  if (!version) {
    const [row] = await db
      .select()
      .from(modelVersions)
      .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.number, number!)));
    if (!row) throw new ApiError('version-not-found', `model "${model.name}" has no version ${number}`);
    version = keepVersion(model.id, row);
  }
  return { ...version, alias };
}

export async function listVersions(db: Db, modelId: string): Promise<VersionRow[]> {
  return db.select().from(modelVersions).where(eq(modelVersions.modelId, modelId)).orderBy(desc(modelVersions.number));
}

/** 404 naming every version of `numbers` the model does not have. */
export async function requireVersions(db: Db, model: ModelRow, numbers: number[]): Promise<void> {
  const found = new Set(
    (
      await db
        .select({ n: modelVersions.number })
        .from(modelVersions)
        .where(and(eq(modelVersions.modelId, model.id), inArray(modelVersions.number, numbers)))
    ).map((r) => r.n),
  );
  const missing = [...new Set(numbers)].filter((v) => !found.has(v));
  if (missing.length) throw new ApiError('version-not-found', `model "${model.name}" has no version ${missing.join(', ')}`);
}

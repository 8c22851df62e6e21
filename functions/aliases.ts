// Alias changes: each one writes the alias and its history row in one D1 batch.
import { and, desc, eq } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { type AliasTarget, aliasEvents, aliases, modelVersions } from '../schemas/db/schema.ts';
import { ApiError } from './problem.ts';
import { forgetResolutions, type ModelRow } from './registry.ts';

export async function currentTargets(db: DrizzleD1Database, modelId: string, alias: string): Promise<AliasTarget[] | null> {
  const [row] = await db
    .select()
    .from(aliases)
    .where(and(eq(aliases.modelId, modelId), eq(aliases.name, alias)));
  return row?.targets ?? null;
}

export async function setAlias(
  db: DrizzleD1Database,
  model: ModelRow,
  alias: string,
  targets: AliasTarget[],
  actor: string,
  action: 'set' | 'rollback',
): Promise<void> {
  const versions = new Set(
    (await db.select({ n: modelVersions.number }).from(modelVersions).where(eq(modelVersions.modelId, model.id))).map((r) => r.n),
  );
  const missing = targets.filter((t) => !versions.has(t.version)).map((t) => t.version);
  if (missing.length) throw new ApiError(404, 'version-not-found', `model "${model.name}" has no version ${missing.join(', ')}`);
  const from = await currentTargets(db, model.id, alias);
  await db.batch([
    db
      .insert(aliases)
      .values({ modelId: model.id, name: alias, targets })
      .onConflictDoUpdate({ target: [aliases.modelId, aliases.name], set: { targets, updatedAt: Date.now() } }),
    db.insert(aliasEvents).values({ modelId: model.id, alias, fromTargets: from, toTargets: targets, actor, action }),
  ]);
  forgetResolutions(); // this isolate routes by the new targets at once; others within CACHE_TTL_MS
}

export const aliasHistory = (db: DrizzleD1Database, modelId: string, alias: string) =>
  db
    .select()
    .from(aliasEvents)
    .where(and(eq(aliasEvents.modelId, modelId), eq(aliasEvents.alias, alias)))
    .orderBy(desc(aliasEvents.id));

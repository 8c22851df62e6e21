// Alias changes: each one writes the alias and its history row in one D1 batch, and
// forgets this isolate's cached routing at once.
import { and, desc, eq, inArray } from 'drizzle-orm';
import { ApiError } from '../../schemas/api/problems.ts';
import { type AliasTarget, aliasEvents, aliases } from '../../schemas/db/schema.ts';
import type { Db } from '../infra/db.ts';
import { forgetResolutions, type ModelRow, requireVersions } from './registry.ts';

export type AliasEventRow = typeof aliasEvents.$inferSelect;

export async function currentTargets(db: Db, modelId: string, alias: string): Promise<AliasTarget[] | null> {
  const [row] = await db
    .select()
    .from(aliases)
    .where(and(eq(aliases.modelId, modelId), eq(aliases.name, alias)));
  return row?.targets ?? null;
}

export async function setAlias(
  db: Db,
  model: ModelRow,
  alias: string,
  targets: AliasTarget[],
  actor: string,
  action: AliasEventRow['action'],
): Promise<void> {
  await requireVersions(
    db,
    model,
    targets.map((t) => t.version),
  );
  const from = await currentTargets(db, model.id, alias);
  await db.batch([
    db
      .insert(aliases)
      .values({ modelId: model.id, name: alias, targets })
      .onConflictDoUpdate({ target: [aliases.modelId, aliases.name], set: { targets, updatedAt: Date.now() } }),
    db.insert(aliasEvents).values({ modelId: model.id, alias, fromTargets: from, toTargets: targets, actor, action }),
  ]);
  forgetResolutions();
}

export const aliasHistory = (db: Db, modelId: string, alias: string): Promise<AliasEventRow[]> =>
  db
    .select()
    .from(aliasEvents)
    .where(and(eq(aliasEvents.modelId, modelId), eq(aliasEvents.alias, alias)))
    .orderBy(desc(aliasEvents.id));

/** Returns the alias to the targets it had before its last change; the targets now. */
export async function rollbackAlias(db: Db, model: ModelRow, alias: string, actor: string): Promise<AliasTarget[]> {
  const [last] = await aliasHistory(db, model.id, alias);
  if (!last) throw new ApiError('alias-not-found', `model "${model.name}" has no alias "${alias}"`);
  if (!last.fromTargets) {
    throw new ApiError(
      'nothing-to-roll-back',
      `alias "${alias}" of "${model.name}" has had only one target; there is nothing to return to`,
    );
  }
  await setAlias(db, model, alias, last.fromTargets, actor, 'rollback');
  return last.fromTargets;
}

/** Every alias of the given models: model id → alias name → targets. */
export async function aliasesOf(db: Db, modelIds: string[]): Promise<Map<string, Record<string, AliasTarget[]>>> {
  const out = new Map<string, Record<string, AliasTarget[]>>();
  if (modelIds.length === 0) return out;
  const rows = await db.select().from(aliases).where(inArray(aliases.modelId, modelIds));
  for (const r of rows) out.set(r.modelId, { ...out.get(r.modelId), [r.name]: r.targets });
  return out;
}

// Alias changes: each one writes the alias and its history row in one D1 batch, and
// forgets this isolate's cached routing at once. A history row reads the targets it
// moves from inside that batch (a transaction), never from an earlier read, so changes
// that race still leave history a chain: each row's "from" is the previous row's "to".
import { and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
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
  const [first, second] = aliasMove(db, model.id, alias, targets, actor, action);
  await db.batch([first, second]);
  forgetResolutions();
}

/** An alias_events row as a SELECT, in the table's column order (id, model_id, alias,
 * from_targets, to_targets, actor, action, created_at), for INSERT … SELECT: `from` is
 * read by the database when the statement runs. */
const eventRow = (modelId: string, alias: string, from: SQL, to: AliasTarget[], actor: string, action: AliasEventRow['action']) =>
  sql`select null, ${modelId}, ${alias}, ${from}, ${JSON.stringify(to)}, ${actor}, ${action}, cast(unixepoch('subsec') * 1000 as integer)`;

/** The two statements that move an alias: its history row (from whatever the alias holds
 * when the batch runs), then the alias itself. They must run in one batch, in order. */
export function aliasMove(
  db: Db,
  modelId: string,
  alias: string,
  targets: AliasTarget[],
  actor: string,
  action: AliasEventRow['action'],
): [BatchItem<'sqlite'>, BatchItem<'sqlite'>] {
  return [
    db
      .insert(aliasEvents)
      .select(
        eventRow(
          modelId,
          alias,
          sql`(select targets from ${aliases} where model_id = ${modelId} and name = ${alias})`,
          targets,
          actor,
          action,
        ),
      ),
    db
      .insert(aliases)
      .values({ modelId, name: alias, targets })
      .onConflictDoUpdate({ target: [aliases.modelId, aliases.name], set: { targets, updatedAt: Date.now() } }),
  ];
}

export const aliasHistory = (db: Db, modelId: string, alias: string): Promise<AliasEventRow[]> =>
  db
    .select()
    .from(aliasEvents)
    .where(and(eq(aliasEvents.modelId, modelId), eq(aliasEvents.alias, alias)))
    .orderBy(desc(aliasEvents.id));

/** Returns the alias to the targets it had before its last change; the targets now. The
 * move applies only if that change is still the last one (409 alias-changed if another
 * change came in between), so a rollback never undoes a change it did not see. */
export async function rollbackAlias(db: Db, model: ModelRow, alias: string, actor: string): Promise<AliasTarget[]> {
  const [last] = await aliasHistory(db, model.id, alias);
  if (!last) throw new ApiError('alias-not-found', `model "${model.name}" has no alias "${alias}"`);
  if (!last.fromTargets) {
    throw new ApiError(
      'nothing-to-roll-back',
      `alias "${alias}" of "${model.name}" has had only one target; there is nothing to return to`,
    );
  }
  const stillLast = sql`(select max(id) from ${aliasEvents} where model_id = ${model.id} and alias = ${alias}) = ${last.id}`;
  const [moved] = await db.batch([
    db
      .update(aliases)
      .set({ targets: last.fromTargets, updatedAt: Date.now() })
      .where(and(eq(aliases.modelId, model.id), eq(aliases.name, alias), stillLast))
      .returning(),
    db
      .insert(aliasEvents)
      .select(
        sql`${eventRow(model.id, alias, sql`${JSON.stringify(last.toTargets)}`, last.fromTargets, actor, 'rollback')} where ${stillLast}`,
      ),
  ]);
  if (moved.length === 0) {
    throw new ApiError('alias-changed', `alias "${alias}" of "${model.name}" changed while rolling back; read its history and try again`);
  }
  forgetResolutions();
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

// Rows → API shapes for the model routes (parsed through the API schema before leaving).
import { inArray } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { ModelSummary } from '../schemas/api/models.ts';
import { type AliasTarget, aliases } from '../schemas/db/schema.ts';
import type { Manifest } from '../schemas/manifest.ts';
import { type ModelRow, PUBLIC_OWNER } from './registry.ts';

export async function aliasesOf(db: DrizzleD1Database, modelIds: string[]): Promise<Map<string, Record<string, AliasTarget[]>>> {
  const out = new Map<string, Record<string, AliasTarget[]>>();
  if (modelIds.length === 0) return out;
  const rows = await db.select().from(aliases).where(inArray(aliases.modelId, modelIds));
  for (const r of rows) out.set(r.modelId, { ...out.get(r.modelId), [r.name]: r.targets });
  return out;
}

export function summary(row: ModelRow, latest: number | null, aliasMap: Record<string, AliasTarget[]> | undefined) {
  return ModelSummary.parse({
    name: row.name,
    owner: row.owner === PUBLIC_OWNER ? 'public' : 'tenant',
    description: row.description,
    latest_version: latest,
    aliases: aliasMap ?? {},
  });
}

export const taskSummaries = (m: Manifest) =>
  Object.fromEntries(Object.entries(m.tasks).map(([name, t]) => [name, { kind: t.kind, ...(t.labels ? { labels: t.labels } : {}) }]));

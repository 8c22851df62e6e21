// Rows → API shapes for the model routes (parsed through the API schema before leaving).
import { ModelSummary, ModelVersion } from '../../../schemas/api/models.ts';
import type { AliasTarget } from '../../../schemas/db/schema.ts';
import { Manifest } from '../../../schemas/manifest.ts';
import { type ModelRow, PUBLIC_OWNER, type VersionRow } from '../../domain/registry.ts';
import { iso } from './time.ts';

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

export function versionView(v: VersionRow) {
  const m = Manifest.parse(v.manifest);
  return ModelVersion.parse({
    version: v.number,
    sha256: v.sha256,
    bytes: v.bytes,
    created_at: iso(v.createdAt),
    tasks: taskSummaries(m),
    quantization: m.quantization,
  });
}

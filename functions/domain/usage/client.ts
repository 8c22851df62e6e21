// Runs a browser made itself with @chimera/client/browser, reported so that a tenant sees
// them beside its metered usage. They travel the usage queue like every event, under
// their own operation: reports show them only when asked (source=client), and the
// per-minute limits never count them (the Worker did not do the work).
import type { ClientRun } from '../../../schemas/api/usage.ts';
import { limits } from '../../infra/config.ts';
import type { Db } from '../../infra/db.ts';
import { findModel, requireVersions } from '../registry.ts';
import { recordUsage } from './record.ts';

export const CLIENT_OPERATION = 'client.infer';

/** Checks that the tenant sees each run's model and version, then queues one event per run
 * (its event id made from the key and the client's run id, so a resent report counts once);
 * `sent` settles when the events have left, for waitUntil. */
export async function recordClientRuns(
  env: Env,
  db: Db,
  caller: { tenantId: string; keyId: string },
  requestId: string,
  runs: ClientRun[],
): Promise<{ sent: Promise<void> }> {
  const ttl = limits(env).cacheTtlMs;
  const byModel = new Map<string, number[]>();
  for (const r of runs) byModel.set(r.model, [...(byModel.get(r.model) ?? []), r.version]);
  for (const [name, versions] of byModel) await requireVersions(db, await findModel(db, caller.tenantId, name, ttl), versions);
  const now = Date.now();
  const sent = runs.map((r) =>
    recordUsage(env, {
      eventId: `client:${caller.keyId}:${r.id}`,
      requestId,
      tenantId: caller.tenantId,
      keyId: caller.keyId,
      operation: CLIENT_OPERATION,
      model: r.model,
      version: r.version,
      tasks: r.tasks ?? null,
      items: r.items,
      inputTokens: r.input_tokens,
      latencyMs: r.latency_ms,
      backend: r.backend,
      status: 200,
      error: null,
      createdAt: now,
    }),
  );
  return { sent: Promise.all(sent).then(() => undefined) };
}

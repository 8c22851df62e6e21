// Usage aggregated in D1: one GROUP BY over usage_events (json_each for tasks).
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../infra/db.ts';

export type GroupBy = 'day' | 'model' | 'version' | 'task' | 'operation' | 'tenant';

const KEYS: Record<GroupBy, SQL> = {
  day: sql`strftime('%Y-%m-%d', u.created_at / 1000, 'unixepoch')`,
  model: sql`coalesce(u.model, '-')`,
  version: sql`coalesce(u.model, '-') || '@' || coalesce(u.version, '-')`,
  task: sql`t.value`,
  operation: sql`u.operation`,
  tenant: sql`u.tenant_id`,
};

export async function usageReport(db: Db, opts: { tenantId?: string; from: number; to: number; groupBy: GroupBy }) {
  const key = KEYS[opts.groupBy];
  const source = opts.groupBy === 'task' ? sql`usage_events u, json_each(u.tasks) t` : sql`usage_events u`;
  const tenant = opts.tenantId ? sql`and u.tenant_id = ${opts.tenantId}` : sql``;
  const rows = await db.all<{
    key: string;
    requests: number;
    errors: number;
    items: number;
    input_tokens: number;
    mean_latency_ms: number;
  }>(sql`
    select ${key} as key, count(*) as requests, sum(u.status >= 400) as errors, sum(u.items) as items,
           sum(u.input_tokens) as input_tokens, avg(u.latency_ms) as mean_latency_ms
    from ${source}
    where u.created_at >= ${opts.from} and u.created_at < ${opts.to} ${tenant}
    group by 1 order by 1`);
  return rows.map((r) => ({
    ...r,
    key: String(r.key),
    errors: r.errors ?? 0,
    items: r.items ?? 0,
    input_tokens: r.input_tokens ?? 0,
    mean_latency_ms: r.mean_latency_ms ?? 0,
  }));
}

/** The report for a window (default the last 30 days) as the API answers it. */
export async function usageFor(db: Db, q: { tenantId?: string; from?: string; to?: string; groupBy: GroupBy }) {
  const to = q.to ? Date.parse(q.to) : Date.now();
  const from = q.from ? Date.parse(q.from) : to - 30 * 86_400_000;
  const rows = await usageReport(db, { tenantId: q.tenantId, from, to, groupBy: q.groupBy });
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), group_by: q.groupBy, rows };
}

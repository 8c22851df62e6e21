// Usage aggregated in D1: one GROUP BY over usage_events (json_each for tasks), with
// latency percentiles from a window over each group. Runs that browsers report for
// themselves (operation client.infer) are kept apart from metered usage: a report shows
// one source or the other, never both summed.
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../infra/db.ts';
import { CLIENT_OPERATION } from './client.ts';

export type GroupBy = 'day' | 'model' | 'version' | 'task' | 'operation' | 'tenant';
/** metered: what the Worker served and bills; client: runs browsers reported */
export type UsageSource = 'metered' | 'client';

const KEYS: Record<GroupBy, SQL> = {
  day: sql`strftime('%Y-%m-%d', u.created_at / 1000, 'unixepoch')`,
  model: sql`coalesce(u.model, '-')`,
  version: sql`coalesce(u.model, '-') || '@' || coalesce(u.version, '-')`,
  task: sql`t.value`,
  operation: sql`u.operation`,
  tenant: sql`u.tenant_id`,
};

export async function usageReport(db: Db, opts: { tenantId?: string; from: number; to: number; groupBy: GroupBy; source?: UsageSource }) {
  const key = KEYS[opts.groupBy];
  const from = opts.groupBy === 'task' ? sql`usage_events u, json_each(u.tasks) t` : sql`usage_events u`;
  const tenant = opts.tenantId ? sql`and u.tenant_id = ${opts.tenantId}` : sql``;
  const source = opts.source === 'client' ? sql`and u.operation = ${CLIENT_OPERATION}` : sql`and u.operation <> ${CLIENT_OPERATION}`;
  // nearest-rank percentiles: the smallest latency whose rank reaches p% of its group
  const rows = await db.all<{
    key: string;
    requests: number;
    errors: number;
    items: number;
    input_tokens: number;
    mean_latency_ms: number;
    p50_latency_ms: number;
    p99_latency_ms: number;
  }>(sql`
    with e as (
      select ${key} as key, u.status, u.items, u.input_tokens, u.latency_ms
      from ${from}
      where u.created_at >= ${opts.from} and u.created_at < ${opts.to} ${tenant} ${source}
    ), r as (
      select e.*, row_number() over (partition by key order by latency_ms) as rn, count(*) over (partition by key) as n from e
    )
    select key, count(*) as requests, sum(status >= 400) as errors, sum(items) as items, sum(input_tokens) as input_tokens,
           avg(latency_ms) as mean_latency_ms,
           min(case when rn * 100 >= n * 50 then latency_ms end) as p50_latency_ms,
           min(case when rn * 100 >= n * 99 then latency_ms end) as p99_latency_ms
    from r group by key order by key`);
  return rows.map((r) => ({
    ...r,
    key: String(r.key),
    errors: r.errors ?? 0,
    items: r.items ?? 0,
    input_tokens: r.input_tokens ?? 0,
    mean_latency_ms: r.mean_latency_ms ?? 0,
    p50_latency_ms: r.p50_latency_ms ?? 0,
    p99_latency_ms: r.p99_latency_ms ?? 0,
  }));
}

/** The report for a window (default the last 30 days) as the API answers it. */
export async function usageFor(db: Db, q: { tenantId?: string; from?: string; to?: string; groupBy: GroupBy; source?: UsageSource }) {
  const to = q.to ? Date.parse(q.to) : Date.now();
  const from = q.from ? Date.parse(q.from) : to - 30 * 86_400_000;
  const source = q.source ?? 'metered';
  const rows = await usageReport(db, { tenantId: q.tenantId, from, to, groupBy: q.groupBy, source });
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), group_by: q.groupBy, source, rows };
}

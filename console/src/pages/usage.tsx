// Usage over a date range, grouped by day, model, version, task or operation: requests and
// errors, items, input tokens, p50/p99 latency. Charts for the eye, a table for everyone.
// Runs browsers reported (source=client) are a report of their own, never summed with
// metered usage. The admin view shows the same across tenants.
import type { components } from '@chimera/client';
import { useState } from 'preact/hooks';
import { useQuery } from '../api.ts';
import { Facts, TableWrap } from '../components/bits.tsx';
import { BarChart } from '../components/chart.tsx';
import { PageTitle } from '../components/layout.tsx';
import { Loading, Problem } from '../components/problem.tsx';
import { count, ms, percent } from '../format.ts';

type Group = 'day' | 'model' | 'version' | 'task' | 'operation' | 'tenant';
type Source = 'metered' | 'client';
type Row = components['schemas']['UsageReport']['rows'][number];

const DAY = 86_400_000;
const axisMs = (v: number) => (v >= 1000 ? `${+(v / 1000).toFixed(1)} s` : `${+v.toFixed(1)} ms`);
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const today = () => isoDay(Date.now());

/** Every day of the range, zero where nothing happened: a chart by day shows the gaps. */
function fillDays(rows: Row[], from: string, to: string): Row[] {
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const out: Row[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to) && out.length < 400; t += DAY) {
    const key = isoDay(t);
    out.push(
      byKey.get(key) ?? {
        key,
        requests: 0,
        errors: 0,
        items: 0,
        input_tokens: 0,
        mean_latency_ms: 0,
        p50_latency_ms: 0,
        p99_latency_ms: 0,
      },
    );
  }
  return out;
}

export const Usage = () => <UsageReport admin={false} />;

export function UsageReport({ admin }: { admin: boolean }) {
  const [from, setFrom] = useState(isoDay(Date.now() - 29 * DAY));
  const [to, setTo] = useState(today());
  const [group, setGroup] = useState<Group>(admin ? 'tenant' : 'day');
  const [source, setSource] = useState<Source>('metered');
  const query = { from, to: isoDay(Date.parse(to) + DAY), group_by: group, source };
  const q = useQuery(
    (c) =>
      admin
        ? c.ok(c.api.GET('/v1/admin/usage', { params: { query } }))
        : c.ok(c.api.GET('/v1/usage', { params: { query: { ...query, group_by: group as Exclude<Group, 'tenant'> } } })),
    [from, to, group, source, admin],
  );
  const rows: Row[] = q.data?.rows ?? [];
  const shown = group === 'day' ? fillDays(rows, from, to) : rows;
  const keys = shown.map((r) => (group === 'day' ? r.key.slice(5) : r.key));
  const total = rows.reduce(
    (s, r) => ({
      requests: s.requests + r.requests,
      errors: s.errors + r.errors,
      items: s.items + r.items,
      tokens: s.tokens + r.input_tokens,
    }),
    { requests: 0, errors: 0, items: 0, tokens: 0 },
  );
  const preset = (days: number) => () => {
    setFrom(isoDay(Date.now() - (days - 1) * DAY));
    setTo(today());
  };
  const groups: Group[] = admin
    ? ['tenant', 'day', 'model', 'version', 'task', 'operation']
    : ['day', 'model', 'version', 'task', 'operation'];
  return (
    <>
      <PageTitle>{admin ? 'Usage across tenants' : 'Usage'}</PageTitle>
      <form class="panel" onSubmit={(e) => e.preventDefault()} aria-label="Report">
        <div class="row">
          <div>
            <label for="from">From</label>
            <input id="from" type="date" value={from} max={to} onChange={(e) => e.currentTarget.value && setFrom(e.currentTarget.value)} />
          </div>
          <div>
            <label for="to">To (inclusive)</label>
            <input id="to" type="date" value={to} min={from} onChange={(e) => e.currentTarget.value && setTo(e.currentTarget.value)} />
          </div>
          <div>
            <label for="group">Group by</label>
            <select id="group" value={group} onChange={(e) => setGroup(e.currentTarget.value as Group)}>
              {groups.map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="source">Source</label>
            <select id="source" value={source} onChange={(e) => setSource(e.currentTarget.value as Source)}>
              <option value="metered">metered (served here)</option>
              <option value="client">client-reported (in browsers)</option>
            </select>
          </div>
        </div>
        <div class="actions">
          <button type="button" class="secondary" onClick={preset(7)}>
            Last 7 days
          </button>
          <button type="button" class="secondary" onClick={preset(30)}>
            Last 30 days
          </button>
          <button type="button" class="secondary" onClick={preset(90)}>
            Last 90 days
          </button>
        </div>
      </form>
      <Problem error={q.error} />
      {!q.data && q.loading ? <Loading what="usage" /> : null}
      {q.data ? (
        <>
          {source === 'client' ? (
            <p class="muted">Runs made in users' browsers, as they reported them: never billed, never counted against limits.</p>
          ) : null}
          <Facts
            items={[
              ['Requests', count(total.requests)],
              ['Errors', `${count(total.errors)} (${total.requests ? percent(total.errors / total.requests) : '0%'})`],
              ['Items', count(total.items)],
              ['Input tokens', count(total.tokens)],
            ]}
          />
          {rows.length ? (
            <>
              <div class="charts">
                <BarChart
                  title="Requests, errors in red"
                  keys={keys}
                  series={[
                    { label: 'requests', values: shown.map((r) => r.requests), color: '#2f6fdf' },
                    { label: 'errors', values: shown.map((r) => r.errors), color: '#d64545' },
                  ]}
                  format={(v) => count(v)}
                />
                <BarChart
                  title="Items"
                  keys={keys}
                  series={[{ label: 'items', values: shown.map((r) => r.items), color: '#1f9d63' }]}
                  format={(v) => count(v)}
                />
                <BarChart
                  title="Input tokens"
                  keys={keys}
                  series={[{ label: 'input tokens', values: shown.map((r) => r.input_tokens), color: '#8a5cf6' }]}
                  format={(v) => count(v)}
                />
                <BarChart
                  title="Latency: p99, p50 darker"
                  keys={keys}
                  series={[
                    { label: 'p99', values: shown.map((r) => r.p99_latency_ms), color: '#e08a1e' },
                    { label: 'p50', values: shown.map((r) => r.p50_latency_ms), color: '#8c4f00' },
                  ]}
                  format={axisMs}
                />
              </div>
              <h2>The numbers</h2>
              <UsageTable rows={rows} group={group} />
            </>
          ) : (
            <p>Nothing was {source === 'client' ? 'reported' : 'used'} between these dates.</p>
          )}
        </>
      ) : null}
    </>
  );
}

function UsageTable({ rows, group }: { rows: Row[]; group: Group }) {
  const cols: [string, (r: Row) => string][] = [
    ['Requests', (r) => count(r.requests)],
    ['Errors', (r) => count(r.errors)],
    ['Items', (r) => count(r.items)],
    ['Input tokens', (r) => count(r.input_tokens)],
    ['p50', (r) => ms(r.p50_latency_ms)],
    ['p99', (r) => ms(r.p99_latency_ms)],
  ];
  return (
    <TableWrap label="Usage table">
      <table>
        <thead>
          <tr>
            <th scope="col">{group}</th>
            {cols.map(([c]) => (
              <th key={c} scope="col" class="num">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.key}</th>
              {cols.map(([c, f]) => (
                <td key={c} class="num">
                  {f(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

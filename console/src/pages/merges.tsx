// Merges: start one from a form (method, base, experts and their weights, the method's
// parameters with their ranges and defaults, from the same table the API validates with),
// and watch every merge until it has made its version.
import { useQuery } from '../api.ts';
import { Status, TableWrap } from '../components/bits.tsx';
import { PageTitle } from '../components/layout.tsx';
import { Loading, Problem } from '../components/problem.tsx';
import { percent, short, when } from '../format.ts';
import { Link } from '../router.tsx';
import { MergeForm } from './merge-form.tsx';

const MOVING = new Set(['queued', 'running']);

export function Merges() {
  const list = useQuery((c) => c.ok(c.api.GET('/v1/merges')), [], {
    pollMs: (d) => (d.merges.some((m) => MOVING.has(m.status)) ? 1000 : undefined),
  });
  return (
    <>
      <PageTitle>Merges</PageTitle>
      <MergeForm onStarted={() => void list.reload()} />
      <h2>Your merges</h2>
      <Problem error={list.error} />
      {!list.data && list.loading ? <Loading what="merges" /> : null}
      {list.data && !list.data.merges.length ? <p>No merges yet.</p> : null}
      {list.data?.merges.length ? (
        <TableWrap label="Merges">
          <table>
            <thead>
              <tr>
                <th scope="col">Merge</th>
                <th scope="col">Model</th>
                <th scope="col">Method</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Made</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {list.data.merges.map((m) => (
                <tr key={m.id}>
                  <td title={m.id}>
                    <code>{short(m.id)}</code>
                  </td>
                  <td>{m.model}</td>
                  <td>{String(m.request.method ?? '—')}</td>
                  <td>
                    <Status status={m.status} />
                    {m.error ? <div class="muted">{m.error}</div> : null}
                  </td>
                  <td>
                    <progress max={1} value={m.progress} aria-label={`Merge ${short(m.id)} progress`} /> {percent(m.progress)}
                  </td>
                  <td>
                    {m.version ? <Link href={`/models/${encodeURIComponent(m.model)}/versions/${m.version}`}>v{m.version}</Link> : '—'}
                  </td>
                  <td>{when(m.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </>
  );
}

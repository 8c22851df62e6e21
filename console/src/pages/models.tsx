// The models a tenant can call: its own and the public ones, with their aliases' splits.
import type { components } from '@chimera/client';
import { useQuery } from '../api.ts';
import { TableWrap } from '../components/bits.tsx';
import { PageTitle } from '../components/layout.tsx';
import { Loading, Problem } from '../components/problem.tsx';
import { percent } from '../format.ts';
import { Link } from '../router.tsx';

type Targets = components['schemas']['ModelSummary']['aliases'][string];

export function aliasText(targets: Targets): string {
  const total = targets.reduce((s, t) => s + t.weight, 0);
  return targets.length === 1 ? `v${targets[0]!.version}` : targets.map((t) => `v${t.version} ${percent(t.weight / total)}`).join(' · ');
}

export function Models() {
  const q = useQuery((c) => c.ok(c.api.GET('/v1/models')), []);
  return (
    <>
      <PageTitle>Models</PageTitle>
      <p class="muted">Your models and the public ones. Open one for its versions, manifests and aliases.</p>
      <Problem error={q.error} />
      {q.data ? (
        <TableWrap label="Models">
          <table>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Owner</th>
                <th scope="col" class="num">
                  Latest
                </th>
                <th scope="col">Aliases</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {q.data.models.map((m) => (
                <tr key={m.name}>
                  <td>
                    <Link href={`/models/${encodeURIComponent(m.name)}`}>{m.name}</Link>
                    {m.description ? <div class="muted">{m.description}</div> : null}
                  </td>
                  <td>{m.owner === 'public' ? 'public' : 'yours'}</td>
                  <td class="num">{m.latest_version ? `v${m.latest_version}` : '—'}</td>
                  <td>
                    {Object.entries(m.aliases).map(([alias, targets]) => (
                      <div key={alias}>
                        <code>{alias}</code> → {aliasText(targets)}
                      </div>
                    ))}
                  </td>
                  <td>
                    <Link href={`/playground?model=${encodeURIComponent(m.name)}`} aria-label={`Try ${m.name} in the playground`}>
                      Try
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : q.loading ? (
        <Loading what="models" />
      ) : null}
    </>
  );
}

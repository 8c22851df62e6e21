// Webhooks: the signing secret and its rotation, endpoints given up on, and every delivery
// with each attempt (opened in place) and redelivery.
import { useState } from 'preact/hooks';
import { useAction, useQuery } from '../api.ts';
import { CopyButton, Status, TableWrap } from '../components/bits.tsx';
import { PageTitle } from '../components/layout.tsx';
import { Loading, Problem } from '../components/problem.tsx';
import { ms, short, when } from '../format.ts';
import { useSession } from '../session.tsx';

export function Webhooks() {
  return (
    <>
      <PageTitle>Webhooks</PageTitle>
      <Secret />
      <Endpoints />
      <Deliveries />
    </>
  );
}

function Secret() {
  const { chimera } = useSession();
  const q = useQuery((c) => c.webhooks.secrets(), []);
  const [shown, setShown] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const rotate = useAction(async () => {
    await chimera.ok(chimera.api.POST('/v1/webhooks/secret/rotate'));
    setConfirming(false);
    await q.reload();
  });
  const mask = (s: string) => (shown ? s : `${s.slice(0, 6)}${'•'.repeat(12)}`);
  return (
    <section class="panel" aria-labelledby="secret">
      <h2 id="secret">Signing secret</h2>
      <p class="muted">Deliveries are signed per Standard Webhooks. After a rotation the previous secret signs too, until the next one.</p>
      <Problem error={q.error} />
      {q.data ? (
        <>
          <p class="secret">
            Current: <code>{mask(q.data.secret)}</code>
          </p>
          {q.data.previous ? (
            <p class="secret">
              Previous (still signing): <code>{mask(q.data.previous)}</code>
            </p>
          ) : null}
          <div class="actions">
            <button type="button" class="secondary" aria-pressed={shown} onClick={() => setShown(!shown)}>
              {shown ? 'Hide secrets' : 'Show secrets'}
            </button>
            <CopyButton text={q.data.secret} label="Copy current secret" />
            {confirming ? (
              <>
                <button type="button" class="danger" disabled={rotate.pending} onClick={() => rotate.run()}>
                  {rotate.pending ? 'Rotating…' : 'Yes, rotate now'}
                </button>
                <button type="button" class="secondary" onClick={() => setConfirming(false)}>
                  Keep the secret
                </button>
              </>
            ) : (
              <button type="button" onClick={() => setConfirming(true)}>
                Rotate secret…
              </button>
            )}
          </div>
          {confirming ? <p role="status">A new secret will sign from now on; the current one becomes the previous.</p> : null}
          <Problem error={rotate.error} action="Rotating" />
        </>
      ) : q.loading ? (
        <Loading what="the secret" />
      ) : null}
    </section>
  );
}

function Endpoints() {
  const q = useQuery((c) => c.ok(c.api.GET('/v1/webhooks/endpoints')), []);
  const failing = q.data?.endpoints.filter((e) => e.failing_since) ?? [];
  return (
    <section aria-labelledby="endpoints">
      <h2 id="endpoints">Endpoints</h2>
      <Problem error={q.error} />
      {q.data && !q.data.endpoints.length ? <p>No endpoint has been given up on.</p> : null}
      {q.data?.endpoints.length ? (
        <TableWrap label="Endpoints">
          <table>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">State</th>
                <th scope="col">Failing since</th>
              </tr>
            </thead>
            <tbody>
              {q.data.endpoints.map((e) => (
                <tr key={e.url}>
                  <td class="secret">{e.url}</td>
                  <td>
                    <Status status={e.failing_since ? 'failing' : 'delivered'} />
                  </td>
                  <td>{when(e.failing_since)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {failing.length ? (
        <p class="problem">{failing.length} endpoint(s) failing: deliveries to them were given up after 24 hours of retries.</p>
      ) : null}
    </section>
  );
}

function Deliveries() {
  const { chimera } = useSession();
  const q = useQuery((c) => c.ok(c.api.GET('/v1/webhooks/deliveries')), [], {
    pollMs: (d) => (d.deliveries.some((x) => x.status === 'pending') ? 3000 : undefined),
  });
  const [open, setOpen] = useState<string | null>(null);
  const redeliver = useAction(async (id: string) => {
    await chimera.ok(chimera.api.POST('/v1/webhooks/deliveries/{id}/redeliver', { params: { path: { id } } }));
    await q.reload();
  });
  return (
    <section aria-labelledby="deliveries">
      <h2 id="deliveries">Deliveries</h2>
      <Problem error={q.error ?? redeliver.error} />
      {!q.data && q.loading ? <Loading what="deliveries" /> : null}
      {q.data && !q.data.deliveries.length ? <p>No webhook has been sent yet.</p> : null}
      {q.data?.deliveries.map((d) => (
        <div class="panel" key={d.id}>
          <div class="row" style={{ justifyContent: 'space-between' }}>
            <div>
              <strong>{d.event}</strong> <Status status={d.status} />
              <div class="muted secret">
                to {d.url} · {when(d.created_at)} · id <code title={d.id}>{short(d.id, 12)}</code>
              </div>
            </div>
            <div class="actions">
              <button
                type="button"
                class="secondary"
                aria-expanded={open === d.id}
                aria-controls={`attempts-${d.id}`}
                onClick={() => setOpen(open === d.id ? null : d.id)}
              >
                {open === d.id ? 'Hide' : 'Show'} attempts ({d.attempts.length})
              </button>
              <button type="button" class="secondary" disabled={redeliver.pending} onClick={() => redeliver.run(d.id)}>
                Redeliver
              </button>
            </div>
          </div>
          <div id={`attempts-${d.id}`} hidden={open !== d.id}>
            <TableWrap label={`Attempts of delivery ${d.id}`}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">When</th>
                    <th scope="col">Answer</th>
                    <th scope="col" class="num">
                      Took
                    </th>
                    <th scope="col">Error</th>
                  </tr>
                </thead>
                <tbody>
                  {d.attempts.map((a, i) => (
                    <tr key={i}>
                      <td>{i + 1}</td>
                      <td>{when(a.at)}</td>
                      <td>{a.status_code ?? 'no answer'}</td>
                      <td class="num">{ms(a.duration_ms)}</td>
                      <td class="secret">{a.error ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </div>
        </div>
      ))}
    </section>
  );
}

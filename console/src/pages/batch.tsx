// One batch: its progress while it runs (polled, announced politely), counts, the download
// of its result and error lines, and cancel.
import { useAction, useQuery } from '../api.ts';
import { Facts, Status } from '../components/bits.tsx';
import { PageTitle } from '../components/layout.tsx';
import { Loading, Problem } from '../components/problem.tsx';
import { count, when } from '../format.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';

const ENDED = new Set(['completed', 'failed', 'cancelled', 'expired']);

/** Saves a blob as a file through a temporary same-origin blob: URL. */
function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function BatchPage({ id }: { id: string }) {
  const { chimera } = useSession();
  const q = useQuery((c) => c.batches.get(id), [id], { pollMs: (b) => (ENDED.has(b.status) ? undefined : 1000) });
  const cancel = useAction(async () => {
    await chimera.batches.cancel(id);
    await q.reload();
  });
  const download = useAction(async (which: 'results' | 'errors') => {
    const params = { params: { path: { id } }, parseAs: 'blob' as const };
    const r =
      which === 'results'
        ? await chimera.api.GET('/v1/batches/{id}/results', params)
        : await chimera.api.GET('/v1/batches/{id}/errors', params);
    if (!r.response.ok || !r.data) await chimera.ok(Promise.resolve(r));
    save(r.data as Blob, `batch-${id}-${which}.jsonl`);
  });
  const b = q.data;
  const done = b ? b.counts.completed + b.counts.failed : 0;
  const ended = b ? ENDED.has(b.status) : false;
  return (
    <>
      <p>
        <Link href="/batches">← Batches</Link>
      </p>
      <PageTitle>
        Batch <code>{id}</code>
      </PageTitle>
      <Problem error={q.error} />
      {!b && q.loading ? <Loading what="the batch" /> : null}
      {b ? (
        <>
          <div class="panel">
            <p aria-live="polite" id="batch-status">
              <Status status={b.status} /> {count(done)} of {count(b.counts.total)} inputs done
              {b.counts.failed ? `, ${count(b.counts.failed)} failed` : ''}
              {b.counts.invalid ? `, ${count(b.counts.invalid)} malformed` : ''}.
            </p>
            <progress max={Math.max(1, b.counts.total)} value={ended ? Math.max(1, b.counts.total) : done} aria-labelledby="batch-status" />
            {b.error ? <p class="problem">{b.error}</p> : null}
            <div class="actions">
              <button type="button" disabled={!ended || download.pending} onClick={() => download.run('results')}>
                Download results
              </button>
              <button type="button" class="secondary" disabled={!ended || download.pending} onClick={() => download.run('errors')}>
                Download errors
              </button>
              {!ended ? (
                <button type="button" class="danger" disabled={cancel.pending} onClick={() => cancel.run()}>
                  {cancel.pending ? 'Cancelling…' : 'Cancel batch'}
                </button>
              ) : null}
            </div>
            <Problem error={download.error ?? cancel.error} />
          </div>
          <Facts
            items={[
              ['Model', `${b.model} v${b.version}`],
              ['Tasks', b.tasks.join(', ')],
              ['Completed', count(b.counts.completed)],
              ['Failed', count(b.counts.failed)],
              ['Malformed lines', count(b.counts.invalid)],
              ['Created', when(b.created_at)],
              ['Deadline', when(b.expires_at)],
              ...(b.metadata ? Object.entries(b.metadata).map(([k, v]) => [k, v] as [string, string]) : []),
            ]}
          />
        </>
      ) : null}
    </>
  );
}

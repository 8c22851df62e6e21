// Batches: start one from a form (texts one per line, optionally a webhook), and every
// batch with its progress; each opens to its own page.
import { useState } from 'preact/hooks';
import { useAction, useQuery } from '../api.ts';
import { Status, TableWrap } from '../components/bits.tsx';
import { PageTitle } from '../components/layout.tsx';
import { type Choice, ModelPicker, routeBody } from '../components/model-picker.tsx';
import { Loading, Problem } from '../components/problem.tsx';
import { count, short, when } from '../format.ts';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';

const ENDED = new Set(['completed', 'failed', 'cancelled', 'expired']);

export function Batches() {
  const list = useQuery((c) => c.ok(c.api.GET('/v1/batches')), [], {
    pollMs: (d) => (d.batches.some((b) => !ENDED.has(b.status)) ? 2000 : undefined),
  });
  return (
    <>
      <PageTitle>Batches</PageTitle>
      <NewBatch />
      <h2>Your batches</h2>
      <Problem error={list.error} />
      {!list.data && list.loading ? <Loading what="batches" /> : null}
      {list.data?.batches.length === 0 ? <p>No batches yet.</p> : null}
      {list.data?.batches.length ? (
        <TableWrap label="Batches">
          <table>
            <thead>
              <tr>
                <th scope="col">Batch</th>
                <th scope="col">Model</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Done
                </th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {list.data.batches.map((b) => (
                <tr key={b.id}>
                  <td>
                    <Link href={`/batches/${b.id}`} title={b.id}>
                      {short(b.id)}
                    </Link>
                  </td>
                  <td>
                    {b.model} v{b.version}
                  </td>
                  <td>
                    <Status status={b.status} />
                  </td>
                  <td class="num">
                    {count(b.counts.completed + b.counts.failed)} / {count(b.counts.total)}
                  </td>
                  <td>{when(b.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </>
  );
}

function NewBatch() {
  const { chimera } = useSession();
  const [choice, setChoice] = useState<Choice>({ model: '', route: 'alias:prod', tasks: [] });
  const [texts, setTexts] = useState('a gripping , beautifully shot film\nthe plot is a mess\nan honest , moving story');
  const [webhook, setWebhook] = useState('');
  const start = useAction(async () => {
    const inputs = texts.split('\n').filter((t) => t.trim());
    const batch = await chimera.batches.create({
      model: choice.model,
      ...routeBody(choice.route),
      ...(choice.tasks.length ? { tasks: choice.tasks } : {}),
      inputs,
      ...(webhook.trim() ? { webhook: { url: webhook.trim() } } : {}),
    });
    navigate(`/batches/${batch.id}`);
  });
  const lines = texts.split('\n').filter((t) => t.trim()).length;
  return (
    <form
      class="panel"
      aria-labelledby="new-batch"
      onSubmit={(e) => {
        e.preventDefault();
        void start.run();
      }}
    >
      <h2 id="new-batch">Start a batch</h2>
      <ModelPicker id="batch" choice={choice} onChange={setChoice} />
      <div class="field">
        <label for="batch-inputs">
          Inputs <span class="hint">(one text per line; {count(lines)} now)</span>
        </label>
        <textarea id="batch-inputs" value={texts} onInput={(e) => setTexts(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="batch-webhook">
          Webhook URL <span class="hint">(optional: batch.completed and the other endings are sent there, signed)</span>
        </label>
        <input id="batch-webhook" type="url" style={{ width: '100%' }} value={webhook} onInput={(e) => setWebhook(e.currentTarget.value)} />
      </div>
      <Problem error={start.error} action="Starting the batch" />
      <button type="submit" disabled={start.pending || !lines || !choice.model}>
        {start.pending ? 'Starting…' : 'Start batch'}
      </button>
    </form>
  );
}

// One alias: its split now, an editor whose preview follows every keystroke, rollback to
// the previous targets, and the change history. Public models are shown read-only.
import { useState } from 'preact/hooks';
import { useAction, useQuery } from '../api.ts';
import { short, when } from '../format.ts';
import { aliasText } from '../pages/models.tsx';
import { useSession } from '../session.tsx';
import { TableWrap, VersionSelect } from './bits.tsx';
import { Problem } from './problem.tsx';
import { Split, type Target } from './split.tsx';

interface Props {
  model: string;
  alias: string;
  targets: Target[];
  versions: number[];
  editable: boolean;
  onChanged(): void;
}

export function AliasEditor({ model, alias, targets, versions, editable, onChanged }: Props) {
  const { chimera } = useSession();
  const [draft, setDraft] = useState<Target[] | null>(null);
  const params = { path: { model, alias } };
  const history = useQuery((c) => c.ok(c.api.GET('/v1/models/{model}/aliases/{alias}/history', { params })), [model, alias, targets]);
  const save = useAction(async (next: Target[]) => {
    await chimera.ok(chimera.api.PUT('/v1/models/{model}/aliases/{alias}', { params, body: { targets: next } }));
    setDraft(null);
    onChanged();
  });
  const rollback = useAction(async () => {
    await chimera.ok(chimera.api.POST('/v1/models/{model}/aliases/{alias}/rollback', { params }));
    onChanged();
  });
  const id = `alias-${alias}`;
  const problems = draft ? draftProblems(draft) : [];
  const setRow = (i: number, patch: Partial<Target>) => setDraft(draft!.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  const unused = versions.filter((v) => !draft?.some((t) => t.version === v));

  return (
    <section class="panel" aria-labelledby={id}>
      <h3 id={id}>
        Alias <code>{alias}</code>
      </h3>
      <Split targets={targets} label={`${alias} now`} />
      {editable && !draft ? (
        <div class="actions">
          <button type="button" onClick={() => setDraft(targets.map((t) => ({ ...t })))}>
            Edit split of {alias}
          </button>
          <button type="button" class="secondary" disabled={rollback.pending} onClick={() => rollback.run()}>
            {rollback.pending ? 'Rolling back…' : `Roll back ${alias}`}
          </button>
        </div>
      ) : null}
      <Problem error={rollback.error} action="Rolling back" />
      {draft ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!problems.length) void save.run(draft);
          }}
        >
          <fieldset>
            <legend>New targets of {alias}</legend>
            {draft.map((t, i) => (
              <div class="row field" key={i}>
                <VersionSelect id={`${id}-v${i}`} versions={versions} value={t.version} onChange={(version) => setRow(i, { version })} />
                <div>
                  <label for={`${id}-w${i}`}>Weight</label>
                  <input
                    id={`${id}-w${i}`}
                    type="number"
                    min="0"
                    step="any"
                    inputMode="decimal"
                    style={{ width: '7rem' }}
                    value={t.weight}
                    onInput={(e) => setRow(i, { weight: Number(e.currentTarget.value) })}
                  />
                </div>
                <button
                  type="button"
                  class="secondary"
                  disabled={draft.length === 1}
                  onClick={() => setDraft(draft.filter((_, j) => j !== i))}
                >
                  Remove v{t.version}
                </button>
              </div>
            ))}
            <button
              type="button"
              class="secondary"
              disabled={!unused.length}
              onClick={() => setDraft([...draft, { version: unused[0]!, weight: 1 }])}
            >
              Add a target
            </button>
          </fieldset>
          <p class="muted" aria-live="polite">
            Preview: {problems.length ? problems.join('; ') : aliasText(draft)}
          </p>
          <Split targets={draft} label={`${alias} preview`} />
          <Problem error={save.error} action="Saving the split" />
          <div class="actions">
            <button type="submit" disabled={save.pending || problems.length > 0}>
              {save.pending ? 'Saving…' : `Save split of ${alias}`}
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() => {
                setDraft(null);
                save.clear();
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : null}
      <details>
        <summary>Change history of {alias}</summary>
        <Problem error={history.error} />
        {history.data ? (
          <TableWrap label={`History of ${alias}`}>
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Change</th>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                  <th scope="col">By</th>
                </tr>
              </thead>
              <tbody>
                {history.data.events.map((e, i) => (
                  <tr key={i}>
                    <td>{when(e.at)}</td>
                    <td>{e.action}</td>
                    <td>{e.from ? aliasText(e.from) : '—'}</td>
                    <td>{aliasText(e.to)}</td>
                    <td title={e.actor}>{short(e.actor, 14)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : null}
      </details>
    </section>
  );
}

function draftProblems(draft: Target[]): string[] {
  const out: string[] = [];
  if (draft.some((t) => !(t.weight > 0))) out.push('every weight must be above 0');
  if (new Set(draft.map((t) => t.version)).size !== draft.length) out.push('each version at most once');
  return out;
}

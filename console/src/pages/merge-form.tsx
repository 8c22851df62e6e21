// The form that starts a merge. What each method takes comes from schemas/merge-methods.ts,
// the table the API's validation and the CLI read too.
import { toJsonLines } from '@chimera/client';
import { useState } from 'preact/hooks';
import {
  MERGE_PARAMETERS,
  METHODS,
  type MergeMethod,
  methodSpec,
  needsUnlabelled,
  type ParameterName,
  type ParameterSpec,
  parameterDefaults,
  requestParameters,
} from '../../../schemas/merge-methods.ts';
import { useAction, useQuery } from '../api.ts';
import { VersionSelect } from '../components/bits.tsx';
import { Problem } from '../components/problem.tsx';
import { useSession } from '../session.tsx';

export function MergeForm({ onStarted }: { onStarted(): void }) {
  const { chimera } = useSession();
  const models = useQuery((c) => c.ok(c.api.GET('/v1/models')), []);
  const own = models.data?.models.filter((m) => m.owner === 'tenant') ?? [];
  const [model, setModel] = useState('');
  const name = model || own[0]?.name || '';
  const detail = useQuery(
    (c) => (name ? c.ok(c.api.GET('/v1/models/{model}', { params: { path: { model: name } } })) : Promise.resolve(undefined)),
    [name],
  );
  const versions = (detail.data?.versions.map((v) => v.version) ?? []).sort((a, b) => a - b);
  const [method, setMethod] = useState<MergeMethod>('ties');
  const spec = methodSpec(method);
  const [base, setBase] = useState<number | undefined>();
  const [experts, setExperts] = useState<Record<number, number>>({});
  const [params, setParams] = useState<Partial<Record<ParameterName, number | boolean>>>({});
  const [quantize, setQuantize] = useState(false);
  const [alias, setAlias] = useState('');
  const [unlabelled, setUnlabelled] = useState('');
  const values = { ...parameterDefaults(method), ...params };
  const chosenBase = base ?? versions[0];

  const start = useAction(async () => {
    const parameters = Object.fromEntries(
      requestParameters(method)
        .map((p) => [p, values[p]])
        .filter(([, v]) => v !== undefined),
    );
    const file = needsUnlabelled(method)
      ? await chimera.files.create(
          toJsonLines(
            unlabelled
              .split('\n')
              .filter((t) => t.trim())
              .map((input) => ({ input })),
          ),
        )
      : undefined;
    await chimera.ok(
      chimera.api.POST('/v1/merges', {
        body: {
          model: name,
          method,
          ...(spec.needsBase ? { base: chosenBase } : {}),
          experts: Object.entries(experts).map(([v, w]) => ({
            version: Number(v),
            ...(spec.takes.includes('weight') ? { weight: w } : {}),
          })),
          parameters,
          quantize,
          ...(alias ? { alias } : {}),
          ...(file ? { unlabelled_file: file.id } : {}),
        } as never,
      }),
    );
    setExperts({});
    onStarted();
  });

  if (models.data && !own.length)
    return (
      <p class="panel">
        Merges make a new version of one of your own models from its versions; you have none yet (public models cannot be merged into).
      </p>
    );
  const toggleExpert = (v: number, on: boolean) => {
    const next = { ...experts };
    if (on) next[v] = 1;
    else delete next[v];
    setExperts(next);
  };
  return (
    <form
      class="panel"
      aria-labelledby="new-merge"
      onSubmit={(e) => {
        e.preventDefault();
        void start.run();
      }}
    >
      <h2 id="new-merge">Start a merge</h2>
      <Problem error={models.error ?? detail.error} />
      <div class="row field">
        <div>
          <label for="merge-model">Model</label>
          <select
            id="merge-model"
            value={name}
            onChange={(e) => {
              setModel(e.currentTarget.value);
              setExperts({});
              setBase(undefined);
            }}
          >
            {own.map((m) => (
              <option key={m.name}>{m.name}</option>
            ))}
          </select>
        </div>
        <div>
          <label for="merge-method">Method</label>
          <select
            id="merge-method"
            value={method}
            onChange={(e) => {
              setMethod(e.currentTarget.value as MergeMethod);
              setParams({});
            }}
          >
            {METHODS.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </div>
        {spec.needsBase ? (
          <VersionSelect id="merge-base" label="Base version" versions={versions} value={chosenBase} onChange={setBase} />
        ) : null}
      </div>
      <p class="muted">{spec.summary}</p>
      <fieldset>
        <legend>Experts{spec.takes.includes('weight') ? ' and their weights' : ''}</legend>
        {versions.map((v) => (
          <div class="row" key={v}>
            <label class="check">
              <input type="checkbox" checked={v in experts} onChange={(e) => toggleExpert(v, e.currentTarget.checked)} />v{v}
            </label>
            {v in experts && spec.takes.includes('weight') ? (
              <input
                type="number"
                aria-label={`Weight of v${v}`}
                min="0"
                step="any"
                style={{ width: '6rem' }}
                value={experts[v]}
                onInput={(e) => setExperts({ ...experts, [v]: Number(e.currentTarget.value) })}
              />
            ) : null}
          </div>
        ))}
      </fieldset>
      {requestParameters(method).length ? (
        <fieldset>
          <legend>Parameters</legend>
          <div class="row">
            {requestParameters(method).map((p) => {
              const ps = MERGE_PARAMETERS[p] as ParameterSpec;
              return ps.kind === 'boolean' ? (
                <label class="check" key={p} title={ps.description}>
                  <input
                    type="checkbox"
                    checked={Boolean(values[p])}
                    onChange={(e) => setParams({ ...params, [p]: e.currentTarget.checked })}
                  />
                  {p}
                </label>
              ) : (
                <div key={p}>
                  <label for={`merge-${p}`} title={ps.description}>
                    {p}
                  </label>
                  <input
                    id={`merge-${p}`}
                    type="number"
                    style={{ width: '7rem' }}
                    min={ps.min}
                    max={ps.max}
                    step={ps.kind === 'integer' ? 1 : 'any'}
                    value={values[p] as number}
                    onInput={(e) => setParams({ ...params, [p]: Number(e.currentTarget.value) })}
                  />
                </div>
              );
            })}
          </div>
        </fieldset>
      ) : null}
      {needsUnlabelled(method) ? (
        <div class="field">
          <label for="merge-unlabelled">
            Unlabelled texts <span class="hint">(one per line: {method} learns the experts' weights on them)</span>
          </label>
          <textarea id="merge-unlabelled" value={unlabelled} onInput={(e) => setUnlabelled(e.currentTarget.value)} />
        </div>
      ) : null}
      <div class="row field">
        <label class="check">
          <input type="checkbox" checked={quantize} onChange={(e) => setQuantize(e.currentTarget.checked)} />
          int8 output
        </label>
        <div>
          <label for="merge-alias">
            Point an alias at it <span class="hint">(optional)</span>
          </label>
          <input id="merge-alias" value={alias} pattern="[a-z0-9_\-]{1,32}" onInput={(e) => setAlias(e.currentTarget.value)} />
        </div>
      </div>
      <Problem error={start.error} action="Starting the merge" />
      <button type="submit" disabled={start.pending || !Object.keys(experts).length || !name}>
        {start.pending ? 'Starting…' : 'Start merge'}
      </button>
    </form>
  );
}

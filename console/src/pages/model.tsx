// One model: its versions (each linking to its manifest) and its aliases, editable when
// the model is the tenant's own.
import { useState } from 'preact/hooks';
import { useAction, useQuery } from '../api.ts';
import { AliasEditor } from '../components/alias-editor.tsx';
import { Facts, TableWrap, VersionSelect } from '../components/bits.tsx';
import { PageTitle } from '../components/layout.tsx';
import { Loading, Problem } from '../components/problem.tsx';
import { bytes, when } from '../format.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';

export function ModelPage({ name }: { name: string }) {
  const q = useQuery((c) => c.ok(c.api.GET('/v1/models/{model}', { params: { path: { model: name } } })), [name]);
  const m = q.data;
  const enc = encodeURIComponent(name);
  return (
    <>
      <PageTitle>
        Model <code>{name}</code>
      </PageTitle>
      <Problem error={q.error} />
      {!m && q.loading ? <Loading what="the model" /> : null}
      {m ? (
        <>
          {m.description ? <p>{m.description}</p> : null}
          <Facts
            items={[
              ['Owner', m.owner === 'public' ? 'public (read-only)' : 'your tenant'],
              ['Versions', m.versions.length],
              ['Latest', m.latest_version ? `v${m.latest_version}` : '—'],
              ['Aliases', Object.keys(m.aliases).join(', ') || '—'],
            ]}
          />
          <p>
            <Link href={`/playground?model=${enc}`}>Try {name} in the playground</Link>
          </p>
          <h2>Versions</h2>
          <TableWrap label={`Versions of ${name}`}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Created</th>
                  <th scope="col" class="num">
                    Size
                  </th>
                  <th scope="col">Quantization</th>
                  <th scope="col">Tasks</th>
                  <th scope="col">Aliases</th>
                </tr>
              </thead>
              <tbody>
                {m.versions.map((v) => (
                  <tr key={v.version}>
                    <td>
                      <Link href={`/models/${enc}/versions/${v.version}`}>v{v.version}</Link>
                    </td>
                    <td>{when(v.created_at)}</td>
                    <td class="num">{bytes(v.bytes)}</td>
                    <td>{v.quantization}</td>
                    <td>{Object.keys(v.tasks).join(', ')}</td>
                    <td>
                      {Object.entries(m.aliases)
                        .filter(([, ts]) => ts.some((t) => t.version === v.version))
                        .map(([a]) => a)
                        .join(', ') || '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <h2>Aliases</h2>
          {m.owner === 'public' ? <p class="muted">A public model: its aliases can be read, not changed.</p> : null}
          {Object.entries(m.aliases).map(([alias, targets]) => (
            <AliasEditor
              key={alias}
              model={name}
              alias={alias}
              targets={targets}
              versions={m.versions.map((v) => v.version).sort((a, b) => a - b)}
              editable={m.owner !== 'public'}
              onChanged={() => void q.reload()}
            />
          ))}
          {m.owner !== 'public' && m.versions.length ? (
            <NewAlias model={name} versions={m.versions.map((v) => v.version)} onCreated={() => void q.reload()} />
          ) : null}
        </>
      ) : null}
    </>
  );
}

function NewAlias({ model, versions, onCreated }: { model: string; versions: number[]; onCreated(): void }) {
  const { chimera } = useSession();
  const [alias, setAlias] = useState('');
  const [version, setVersion] = useState(versions[0]!);
  const create = useAction(async () => {
    await chimera.ok(chimera.api.PUT('/v1/models/{model}/aliases/{alias}', { params: { path: { model, alias } }, body: { version } }));
    setAlias('');
    onCreated();
  });
  return (
    <form
      class="panel"
      onSubmit={(e) => {
        e.preventDefault();
        void create.run();
      }}
    >
      <h3>New alias</h3>
      <div class="row">
        <div>
          <label for="new-alias">Name</label>
          <input id="new-alias" required pattern="[a-z0-9_\-]{1,32}" value={alias} onInput={(e) => setAlias(e.currentTarget.value)} />
        </div>
        <VersionSelect id="new-alias-version" versions={versions} value={version} onChange={setVersion} />
        <button type="submit" disabled={create.pending}>
          Create alias
        </button>
      </div>
      <Problem error={create.error} action="Creating the alias" />
    </form>
  );
}

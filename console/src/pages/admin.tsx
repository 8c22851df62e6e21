// The admin view (admin token): tenants, and each tenant's keys: issue (the key is shown
// once), rotate, revoke.
import { useState } from 'preact/hooks';
import { SCOPES } from '../../../schemas/vocabulary.ts';
import { useAction, useQuery } from '../api.ts';
import { CopyButton, TableWrap } from '../components/bits.tsx';
import { PageTitle } from '../components/layout.tsx';
import { Loading, Problem } from '../components/problem.tsx';
import { when } from '../format.ts';
import { useSession } from '../session.tsx';

export function Admin() {
  const { chimera } = useSession();
  const tenants = useQuery((c) => c.ok(c.api.GET('/v1/admin/tenants')), []);
  const [tenant, setTenant] = useState<string | null>(null);
  const [name, setName] = useState('');
  const create = useAction(async () => {
    const t = await chimera.ok(chimera.api.POST('/v1/admin/tenants', { body: { name } }));
    setName('');
    await tenants.reload();
    setTenant(t.id);
  });
  const chosen = tenant ?? tenants.data?.tenants[0]?.id ?? null;
  return (
    <>
      <PageTitle>Tenants and keys</PageTitle>
      <Problem error={tenants.error} />
      {!tenants.data && tenants.loading ? <Loading what="tenants" /> : null}
      {tenants.data ? (
        <TableWrap label="Tenants">
          <table>
            <thead>
              <tr>
                <th scope="col">Tenant</th>
                <th scope="col">Id</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span class="sr-only">Keys</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tenants.data.tenants.map((t) => (
                <tr key={t.id} aria-current={t.id === chosen ? 'true' : undefined}>
                  <td>{t.name}</td>
                  <td>
                    <code>{t.id}</code>
                  </td>
                  <td>{when(t.created_at)}</td>
                  <td>
                    <button type="button" class="secondary" aria-pressed={t.id === chosen} onClick={() => setTenant(t.id)}>
                      Keys of {t.name}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      <form
        class="panel row"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <div>
          <label for="tenant-name">New tenant</label>
          <input id="tenant-name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <button type="submit" disabled={create.pending || !name.trim()}>
          Create tenant
        </button>
        <Problem error={create.error} action="Creating the tenant" />
      </form>
      {chosen ? <Keys tenant={chosen} /> : null}
    </>
  );
}

function Keys({ tenant }: { tenant: string }) {
  const { chimera } = useSession();
  const params = { path: { tenant } };
  const keys = useQuery((c) => c.ok(c.api.GET('/v1/admin/tenants/{tenant}/keys', { params })), [tenant]);
  const [issued, setIssued] = useState<{ key: string; what: string } | null>(null);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['infer']);
  const issue = useAction(async () => {
    const k = await chimera.ok(chimera.api.POST('/v1/admin/tenants/{tenant}/keys', { params, body: { name, scopes: scopes as never } }));
    setIssued({ key: k.key, what: `New key ${k.prefix}…` });
    await keys.reload();
  });
  const rotate = useAction(async (id: string) => {
    const k = await chimera.ok(chimera.api.POST('/v1/admin/tenants/{tenant}/keys/{key}/rotate', { params: { path: { tenant, key: id } } }));
    setIssued({ key: k.key, what: `Rotated: the new key ${k.prefix}… (the old one is revoked)` });
    await keys.reload();
  });
  const revoke = useAction(async (id: string) => {
    await chimera.ok(chimera.api.DELETE('/v1/admin/tenants/{tenant}/keys/{key}', { params: { path: { tenant, key: id } } }));
    await keys.reload();
  });
  return (
    <section aria-labelledby="keys">
      <h2 id="keys">
        Keys of <code>{tenant}</code>
      </h2>
      {issued ? (
        <div class="notice" role="status">
          <p>
            {issued.what}. Copy it now: it is not shown again. <code class="secret">{issued.key}</code>
          </p>
          <div class="actions">
            <CopyButton text={issued.key} label="Copy key" />
            <button type="button" class="secondary" onClick={() => setIssued(null)}>
              Done
            </button>
          </div>
        </div>
      ) : null}
      <Problem error={keys.error ?? rotate.error ?? revoke.error} />
      {keys.data ? (
        <TableWrap label={`Keys of ${tenant}`}>
          <table>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Name</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Revoked</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.keys.map((k) => (
                <tr key={k.id}>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td>{k.name || '—'}</td>
                  <td>{k.scopes.join(', ')}</td>
                  <td>{when(k.created_at)}</td>
                  <td>{when(k.revoked_at)}</td>
                  <td>
                    {k.revoked_at ? null : (
                      <div class="actions">
                        <button type="button" class="secondary" disabled={rotate.pending} onClick={() => rotate.run(k.id)}>
                          Rotate {k.prefix}…
                        </button>
                        <button type="button" class="danger" disabled={revoke.pending} onClick={() => revoke.run(k.id)}>
                          Revoke {k.prefix}…
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      <form
        class="panel"
        onSubmit={(e) => {
          e.preventDefault();
          void issue.run();
        }}
      >
        <h3>Issue a key</h3>
        <div class="field">
          <label for="key-name">Name</label>
          <input id="key-name" maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <fieldset>
          <legend>Scopes</legend>
          {SCOPES.map((s) => (
            <label class="check" key={s}>
              <input
                type="checkbox"
                checked={scopes.includes(s)}
                onChange={(e) => setScopes(e.currentTarget.checked ? [...scopes, s] : scopes.filter((x) => x !== s))}
              />
              {s}
            </label>
          ))}
        </fieldset>
        <Problem error={issue.error} action="Issuing the key" />
        <button type="submit" disabled={issue.pending || !scopes.length}>
          Issue key
        </button>
      </form>
    </section>
  );
}

// Sign-in: an API key for a tenant's pages, or the admin token for the admin view. The
// credential is checked with one call, then kept in this tab's sessionStorage only.
import { useState } from 'preact/hooks';
import { Problem } from '../components/problem.tsx';
import { type Credentials, clientFor } from '../session.tsx';

export function SignIn({ onSignedIn }: { onSignedIn(c: Credentials): void }) {
  const [kind, setKind] = useState<Credentials['kind']>('key');
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const credentials = { kind, token: token.trim() };
    setPending(true);
    setError(undefined);
    try {
      const c = clientFor(credentials);
      if (kind === 'admin') await c.ok(c.api.GET('/v1/admin/tenants'));
      else await c.ok(c.api.GET('/v1/models'));
      onSignedIn(credentials);
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <h1>Sign in to the Chimera console</h1>
      <form class="panel" onSubmit={submit}>
        <fieldset>
          <legend>Sign in with</legend>
          <label class="check">
            <input type="radio" name="kind" value="key" checked={kind === 'key'} onChange={() => setKind('key')} />
            an API key (your tenant)
          </label>
          <label class="check">
            <input type="radio" name="kind" value="admin" checked={kind === 'admin'} onChange={() => setKind('admin')} />
            the admin token
          </label>
        </fieldset>
        <div class="field">
          <label for="token">
            {kind === 'admin' ? 'Admin token' : 'API key'}{' '}
            <span class="hint">({kind === 'admin' ? 'cat_…' : 'chm_…'}; kept in this tab only, until it closes)</span>
          </label>
          <input
            id="token"
            type="password"
            autocomplete="off"
            spellcheck={false}
            required
            style={{ width: '100%' }}
            value={token}
            onInput={(e) => setToken(e.currentTarget.value)}
          />
        </div>
        <Problem error={error} action="Signing in" />
        <button type="submit" disabled={pending || !token.trim()}>
          {pending ? 'Checking…' : 'Sign in'}
        </button>
      </form>
      <p class="muted">
        <code>npm start</code> prints a key (<code>CHIMERA_API_KEY</code>) and the admin token (<code>CHIMERA_ADMIN_TOKEN</code>). The API
        reference is at <a href="/docs">/docs</a>.
      </p>
    </main>
  );
}

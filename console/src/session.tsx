// Who is signed in: an API key (tenant pages) or the admin token (the admin view). The
// credential lives in sessionStorage: this tab only, gone when the tab closes, never in a
// cookie or localStorage. Every call goes through @chimera/client.
import { type Chimera, createChimera } from '@chimera/client';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export interface Credentials {
  kind: 'key' | 'admin';
  token: string;
}

const STORE = 'chimera.console.credentials';

export function savedCredentials(): Credentials | null {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORE) ?? 'null') as Credentials | null;
    return saved && (saved.kind === 'key' || saved.kind === 'admin') && typeof saved.token === 'string' ? saved : null;
  } catch {
    return null;
  }
}

export const saveCredentials = (c: Credentials | null) =>
  c ? sessionStorage.setItem(STORE, JSON.stringify(c)) : sessionStorage.removeItem(STORE);

/** A client for this origin; the console's own calls are not retried past a second try. */
export const clientFor = (c: Credentials): Chimera => createChimera({ baseUrl: location.origin, apiKey: c.token, retry: { retries: 1 } });

export interface Session {
  credentials: Credentials;
  chimera: Chimera;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in console');
  return s;
}

/** The key's short form for display ("chm_abcd1234…"): never the whole secret. */
export const shortToken = (token: string) => `${token.slice(0, 12)}…`;

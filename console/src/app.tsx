// The console: sign-in, then the page the path names. Tenant pages need an API key; the
// admin view (tenants, keys, usage across tenants) needs the admin token.
import { useMemo, useState } from 'preact/hooks';
import { Layout, PageTitle } from './components/layout.tsx';
import { Admin } from './pages/admin.tsx';
import { AdminUsage } from './pages/admin-usage.tsx';
import { BatchPage } from './pages/batch.tsx';
import { Batches } from './pages/batches.tsx';
import { Merges } from './pages/merges.tsx';
import { ModelPage } from './pages/model.tsx';
import { Models } from './pages/models.tsx';
import { Playground } from './pages/playground.tsx';
import { SignIn } from './pages/sign-in.tsx';
import { Usage } from './pages/usage.tsx';
import { VersionPage } from './pages/version.tsx';
import { Webhooks } from './pages/webhooks.tsx';
import { Link, match, navigate, useLocation } from './router.tsx';
import { type Credentials, clientFor, type Session, SessionContext, saveCredentials, savedCredentials } from './session.tsx';

type Page = [title: string, body: preact.JSX.Element];

type Route = [pattern: string, page: (p: Record<string, string>) => Page];

const TENANT_ROUTES: Route[] = [
  ['/models', () => ['Models', <Models />]],
  ['/models/:name', (p) => [p.name!, <ModelPage name={p.name!} />]],
  ['/models/:name/versions/:version', (p) => [`${p.name} v${p.version}`, <VersionPage name={p.name!} version={Number(p.version)} />]],
  ['/playground', () => ['Playground', <Playground />]],
  ['/usage', () => ['Usage', <Usage />]],
  ['/batches', () => ['Batches', <Batches />]],
  ['/batches/:id', (p) => [`Batch ${p.id}`, <BatchPage id={p.id!} />]],
  ['/merges', () => ['Merges', <Merges />]],
  ['/webhooks', () => ['Webhooks', <Webhooks />]],
];
const ADMIN_ROUTES: Route[] = [
  ['/admin', () => ['Tenants and keys', <Admin />]],
  ['/admin/usage', () => ['Usage across tenants', <AdminUsage />]],
];

function pageOf(routes: Route[], path: string): Page | null {
  for (const [pattern, page] of routes) {
    const params = match(pattern, path);
    if (params) return page(params);
  }
  return null;
}

export function App() {
  const [credentials, setCredentials] = useState<Credentials | null>(savedCredentials);
  const { path } = useLocation();
  const session = useMemo<Session | null>(
    () =>
      credentials && {
        credentials,
        chimera: clientFor(credentials),
        signOut: () => {
          saveCredentials(null);
          setCredentials(null);
          navigate('/', { replace: true });
        },
      },
    [credentials],
  );

  if (!session) {
    return (
      <SignIn
        onSignedIn={(c) => {
          saveCredentials(c);
          setCredentials(c);
          const home = c.kind === 'admin' ? '/admin' : '/models';
          if (path === '/' || (c.kind === 'admin') !== path.startsWith('/admin')) navigate(home, { replace: true });
        }}
      />
    );
  }
  const home = session.credentials.kind === 'admin' ? '/admin' : '/models';
  if (path === '/') {
    queueMicrotask(() => navigate(home, { replace: true }));
    return null;
  }
  const page = pageOf(session.credentials.kind === 'admin' ? ADMIN_ROUTES : TENANT_ROUTES, path);
  const [title, body] = page ?? [
    'Not found',
    <>
      <PageTitle>No such page</PageTitle>
      <p>
        There is no console page at <code>{path}</code>. <Link href={home}>Go to the start page</Link>.
      </p>
    </>,
  ];
  return (
    <SessionContext.Provider value={session}>
      <Layout title={title}>{body}</Layout>
    </SessionContext.Provider>
  );
}

// The frame of every signed-in page: a skip link, the header with who is signed in, the
// navigation (the current page marked for screen readers), and the main region, whose
// heading takes focus after each navigation so keyboard and screen-reader users land on
// the new page rather than at the top of the old one.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { Link, useLocation } from '../router.tsx';
import { shortToken, useSession } from '../session.tsx';

const TENANT_PAGES = [
  ['/models', 'Models'],
  ['/playground', 'Playground'],
  ['/usage', 'Usage'],
  ['/batches', 'Batches'],
  ['/merges', 'Merges'],
  ['/webhooks', 'Webhooks'],
] as const;
const ADMIN_PAGES = [
  ['/admin', 'Tenants and keys'],
  ['/admin/usage', 'Usage'],
] as const;

export function Layout({ title, children }: { title: string; children: ComponentChildren }) {
  const { credentials, signOut } = useSession();
  const { path } = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    document.title = `${title} · Chimera console`;
    // the first page after loading keeps the browser's own focus; later ones move it
    if (first.current) first.current = false;
    else main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [path]);
  const pages = credentials.kind === 'admin' ? ADMIN_PAGES : TENANT_PAGES;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link href={credentials.kind === 'admin' ? '/admin' : '/models'} class="brand">
          Chimera <span>console</span>
        </Link>
        <p class="who">
          {credentials.kind === 'admin' ? 'Admin' : 'API key'} <code>{shortToken(credentials.token)}</code>
        </p>
        <button type="button" class="secondary" onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav class="nav" aria-label="Console">
        <ul>
          {pages.map(([href, label]) => {
            const current = path === href || (href !== '/admin' && path.startsWith(`${href}/`));
            return (
              <li key={href}>
                <Link href={href} aria-current={current ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            );
          })}
          <li>
            <a href="/docs">API reference</a>
          </li>
        </ul>
      </nav>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

/** A page's heading: focusable by script (tabIndex -1) so navigation can move focus to it. */
export const PageTitle = ({ children }: { children: ComponentChildren }) => <h1 tabIndex={-1}>{children}</h1>;

// 405 Method Not Allowed: a path that exists under other methods is answered 405 with
// `Allow`, not 404. The methods come from the app's own routes, so a new route is known
// without a list to keep in step.

interface Route {
  method: string;
  path: string;
}

const compile = (path: string) =>
  new RegExp(
    `^${path
      .split('/')
      .map((s) => (s === '*' ? '.*' : s.startsWith(':') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')}/?$`,
  );

/** For a path, the methods some route answers it with (empty when none does). `routes` is
 * read on first use, once every route is registered; `preflight` says where CORS answers
 * OPTIONS. */
export function allowedMethods(routes: () => readonly Route[], preflight: (path: string) => boolean): (path: string) => string[] {
  let matchers: { pattern: RegExp; method: string }[] | undefined;
  return (path) => {
    matchers ??= routes()
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ pattern: compile(r.path), method: r.method }));
    const methods = new Set(matchers.filter((m) => m.pattern.test(path)).map((m) => m.method));
    if (methods.has('GET')) methods.add('HEAD');
    if (methods.size && preflight(path)) methods.add('OPTIONS');
    return [...methods].sort();
  };
}

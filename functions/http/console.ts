// The console at /console/: static assets built from console/ by scripts/assets.ts. Deployed
// and under wrangler dev the asset router serves its files (with public/_headers) before
// the Worker runs; a page URL such as /console/models/x is no file, so it reaches the
// Worker, which answers the console's HTML and lets the console's router show the page. A
// caller that reaches the Worker itself (tests call it directly) gets files the same way.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { ApiError } from '../../schemas/api/problems.ts';
import type { AppEnv } from './context.ts';
import { problem } from './problem.ts';

export const CONSOLE_PATH = '/console/';

/** Nothing but this origin: no CDN, font or analytics, and ORT may compile its WebAssembly.
 * The same policy is in public/_headers for the files the asset router serves. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const notBuilt = (path: string) =>
  new ApiError('not-found', `no console asset at ${path}: build the console with \`npm run build\` (npm start does)`);

export function registerConsole(app: OpenAPIHono<AppEnv>): void {
  app.get('/', (c) => c.redirect(CONSOLE_PATH, 302));
  app.get('/console', (c) => c.redirect(CONSOLE_PATH, 301));
  app.get('/console/*', async (c) => {
    const path = c.req.path;
    const isFile = /\.[A-Za-z0-9]+$/.test(path);
    const res = await c.env.ASSETS?.fetch(isFile ? c.req.raw : new Request(new URL(CONSOLE_PATH, c.req.url)));
    if (!res || res.status === 404) return problem(c, notBuilt(path));
    if (isFile) return res;
    const headers = new Headers(res.headers);
    headers.set('content-security-policy', CONSOLE_CSP);
    headers.set('x-content-type-options', 'nosniff');
    headers.set('referrer-policy', 'no-referrer');
    headers.set('cache-control', 'no-cache');
    return new Response(res.body, { status: res.status, headers });
  });
}

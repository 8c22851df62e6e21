// CORS (issue 16), replacing "any origin may read /v1/*". Keys travel in a header, and a
// preflight carries no header values, so a preflight cannot name the key whose origins
// decide. It is answered from the key where the URL carries one (`?key=chm_pk_…`, a
// publishable key) and otherwise for any origin, on API paths only: the request itself
// is where origins are enforced (middleware/auth.ts), before any work is done. What a
// page may read is decided per answer: the Access-Control-Allow-Origin header is set only
// where auth let that origin in, or where a refusal is meant for the page to read (a
// secret key sent from a web page). The public documents may be read from anywhere.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { authenticate, isPublishable } from '../../domain/keys.ts';
import { limitAnonymous } from '../../domain/limits.ts';
import { originAllowed, tenantOrigins } from '../../domain/origins.ts';
import { limits } from '../../infra/config.ts';
import type { AppEnv } from '../context.ts';
import { clientAddress } from './anonymous-limit.ts';

/** Browsers cap it (Chromium at 2 hours): a page's repeat calls skip the preflight that long. */
export const PREFLIGHT_MAX_AGE_S = 7200;
/** what a page may read of an answer besides the basics */
const EXPOSED = 'retry-after, x-request-id, etag, x-chimera-cache, x-chimera-version, server-timing';

export const DOCUMENTS = new Set(['/openapi.json', '/openai/openapi.json']);
const isApi = (path: string) => path.startsWith('/v1/') || path.startsWith('/openai/v1/');
/** never for browsers on other origins: the admin token, server-to-server hooks */
const CLOSED = /^\/v1\/(admin|hooks)(\/|$)/;

/** The page's origin when the request comes from a page on another origin (the Worker's
 * own pages, the console among them, are same-origin and unaffected). */
export function crossOrigin(req: { header(name: string): string | undefined; url: string }): string | undefined {
  const origin = req.header('origin');
  return origin && origin !== new URL(req.url).origin ? origin : undefined;
}

/** A preflight naming a publishable key in its URL is answered from that key's origins. */
async function preflightAllowed(c: Context<AppEnv>, origin: string): Promise<boolean> {
  if (DOCUMENTS.has(c.req.path)) return true;
  if (CLOSED.test(c.req.path)) return false;
  const key = c.req.query('key');
  if (key === undefined) return true;
  const row = isPublishable(key) ? await authenticate(c.var.db, key, limits(c.env).cacheTtlMs) : null;
  if (!row) {
    await limitAnonymous(
      c.env,
      clientAddress((n) => c.req.header(n)),
    );
    return false;
  }
  return originAllowed(row.origins ?? (await tenantOrigins(c.var.db, row.tenantId, limits(c.env).cacheTtlMs)).defaultOrigins, origin);
}

/** `methods(path)`: the methods some route answers the path with. */
export const cors = (methods: (path: string) => string[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const path = c.req.path;
    const api = isApi(path);
    if (c.req.method === 'OPTIONS' && (api || DOCUMENTS.has(path))) {
      const allow = methods(path);
      if (!allow.length) return next(); // no such resource: 404
      const headers = new Headers({
        allow: allow.join(', '),
        vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
      });
      const origin = crossOrigin(c.req);
      if (origin && c.req.header('access-control-request-method') && (await preflightAllowed(c, origin))) {
        headers.set('access-control-allow-origin', DOCUMENTS.has(path) ? '*' : origin);
        headers.set('access-control-allow-methods', allow.filter((m) => m !== 'OPTIONS').join(', '));
        // header names only: whatever a client sends (SDKs add their own) is as harmless as the key it carries
        const asked = c.req.header('access-control-request-headers');
        if (asked && asked.length <= 2000) headers.set('access-control-allow-headers', asked);
        headers.set('access-control-max-age', String(PREFLIGHT_MAX_AGE_S));
      }
      return new Response(null, { status: 204, headers });
    }
    await next();
    if (DOCUMENTS.has(path)) {
      c.res.headers.set('access-control-allow-origin', '*');
      return;
    }
    if (!api) return;
    c.res.headers.append('vary', 'Origin');
    const readable = c.get('corsOrigin');
    if (readable) {
      c.res.headers.set('access-control-allow-origin', readable);
      c.res.headers.set('access-control-expose-headers', EXPOSED);
    }
  });

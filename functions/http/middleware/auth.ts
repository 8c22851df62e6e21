// Key authentication: resolves the caller's tenant, checks the route's scope, the page
// origin the request comes from (if any), and the caller's rate limits. Routes behind it
// read c.var.caller, typed as present. Failed authentication counts against the caller's
// address (domain/limits.ts).
//
// Keys come as "Authorization: Bearer <key>"; a publishable key (chm_pk_…) may instead be
// the `key` query parameter, so that a page's preflight can be answered from it and a GET
// needs none. From a page on another origin (the Origin header), a publishable key must
// list that origin (else the tenant's default_origins) and is refused unreadably: the
// browser reports a CORS failure. A secret key there is refused in words the page can
// read, unless the tenant allowed that origin for secret keys.
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../../../schemas/api/problems.ts';
import { authenticate, isPublishable, type KeyRow, PUBLISHABLE_PREFIX, type Scope } from '../../domain/keys.ts';
import { limitAnonymous } from '../../domain/limits.ts';
import { originAllowed, tenantOrigins } from '../../domain/origins.ts';
import { limits } from '../../infra/config.ts';
import type { Db } from '../../infra/db.ts';
import type { AuthedEnv } from '../context.ts';
import { clientAddress } from './anonymous-limit.ts';
import { crossOrigin } from './cors.ts';
import { checkRateLimits } from './rate-limit.ts';

const challenge = { headers: { 'www-authenticate': 'Bearer' } };
export const PUBLISHABLE_ROUTES =
  'POST and GET /v1/models/{model}/infer, GET /v1/models/{model}/versions/{version}/infer and POST /openai/v1/embeddings';

/** Where a key may be used from: undefined when allowed, else the refusal. */
async function originProblem(db: Db, ttl: number, row: KeyRow, origin: string): Promise<ApiError | undefined> {
  if (row.kind === 'publishable') {
    const allowed = row.origins ?? (await tenantOrigins(db, row.tenantId, ttl)).defaultOrigins;
    if (originAllowed(allowed, origin)) return undefined;
    return new ApiError('origin-not-allowed', `this publishable key may not be used from ${origin}; add the origin to the key`);
  }
  if (originAllowed((await tenantOrigins(db, row.tenantId, ttl)).secretKeyOrigins, origin)) return undefined;
  return new ApiError(
    'secret-key-in-browser',
    `a secret key (chm_…) was sent from a web page (${origin}): anyone who opens the page can read it. Revoke it if it was published; in pages use a publishable key (${PUBLISHABLE_PREFIX}…), which only runs inference on the models and from the origins named on it`,
  );
}

export const requireKey = (scope: Scope, opts: { publishable?: boolean } = {}) =>
  createMiddleware<AuthedEnv>(async (c, next) => {
    const header = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const key = header ?? c.req.query('key');
    const address = clientAddress((n) => c.req.header(n));
    const origin = crossOrigin(c.req);
    // the page may read refusals of missing or bad credentials: they say nothing of any tenant
    if (origin) c.set('corsOrigin', origin);
    const refuse = async (detail: string) => {
      await limitAnonymous(c.env, address);
      return new ApiError('unauthorized', detail, challenge);
    };
    if (!key) throw await refuse('send your API key as "Authorization: Bearer <key>"');
    if (!header && !isPublishable(key))
      throw await refuse(
        `only a publishable key (${PUBLISHABLE_PREFIX}…) may travel in the URL; send a secret key in the Authorization header`,
      );
    const config = limits(c.env);
    const row = await authenticate(c.var.db, key, config.cacheTtlMs);
    if (!row) throw await refuse('the API key is unknown or revoked');
    if (origin) {
      const problem = await originProblem(c.var.db, config.cacheTtlMs, row, origin);
      // a publishable key on the wrong site: unreadable there, so the browser refuses
      if (problem?.type === 'origin-not-allowed') c.set('corsOrigin', undefined);
      if (problem) throw problem;
    }
    if (row.kind === 'publishable' && !opts.publishable)
      throw new ApiError('forbidden', `a publishable key (${PUBLISHABLE_PREFIX}…) only runs inference: ${PUBLISHABLE_ROUTES}`);
    if (row.kind === 'secret' && !row.scopes.includes(scope) && !row.scopes.includes('admin'))
      throw new ApiError('forbidden', `this key lacks the "${scope}" scope`);
    const caller = {
      tenantId: row.tenantId,
      keyId: row.id,
      scopes: row.scopes,
      kind: row.kind,
      ...(row.kind === 'publishable' ? { models: row.models ?? [] } : {}),
    };
    c.set('caller', caller);
    if (config.rateLimits) {
      const limiters = { key: c.env.KEY_LIMITER, tenant: c.env.TENANT_LIMITER, endUser: c.env.END_USER_LIMITER, periodSeconds: 60 };
      await checkRateLimits(limiters, caller, address);
    }
    await next();
  });

// Bearer-key authentication: resolves the caller's tenant, checks the route's scope and
// the caller's rate limits. Routes behind it read c.var.caller, typed as present. Failed
// authentication counts against the caller's address (domain/limits.ts).
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../../../schemas/api/problems.ts';
import { authenticate, type Scope } from '../../domain/keys.ts';
import { limitAnonymous } from '../../domain/limits.ts';
import { limits } from '../../infra/config.ts';
import type { AuthedEnv } from '../context.ts';
import { clientAddress } from './anonymous-limit.ts';
import { checkRateLimits } from './rate-limit.ts';

const challenge = { headers: { 'www-authenticate': 'Bearer' } };

export const requireKey = (scope: Scope) =>
  createMiddleware<AuthedEnv>(async (c, next) => {
    const key = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const address = clientAddress((n) => c.req.header(n));
    const refuse = async (detail: string) => {
      await limitAnonymous(c.env, address);
      return new ApiError('unauthorized', detail, challenge);
    };
    if (!key) throw await refuse('send your API key as "Authorization: Bearer <key>"');
    const config = limits(c.env);
    const row = await authenticate(c.var.db, key, config.cacheTtlMs);
    if (!row) throw await refuse('the API key is unknown or revoked');
    if (!row.scopes.includes(scope) && !row.scopes.includes('admin'))
      throw new ApiError('forbidden', `this key lacks the "${scope}" scope`);
    const caller = { tenantId: row.tenantId, keyId: row.id, scopes: row.scopes };
    c.set('caller', caller);
    if (config.rateLimits) await checkRateLimits({ key: c.env.KEY_LIMITER, tenant: c.env.TENANT_LIMITER, periodSeconds: 60 }, caller);
    await next();
  });

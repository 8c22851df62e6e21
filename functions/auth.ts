// Bearer-key authentication: resolves the caller's tenant and checks the route's scope.

import { drizzle } from 'drizzle-orm/d1';
import { createMiddleware } from 'hono/factory';
import { limits } from './config.ts';
import type { AppEnv } from './context.ts';
import { findKey, type Scope } from './keys.ts';
import { ApiError } from './problem.ts';
import { checkRateLimits } from './rate-limit.ts';
import { TtlCache } from './ttl-cache.ts';

/** key → its row (or null when unknown/revoked); cleared where keys change */
export const keyCache = new TtlCache<Awaited<ReturnType<typeof findKey>> | null>();

export const requireKey = (scope: Scope) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      throw new ApiError(401, 'unauthorized', 'send your API key as "Authorization: Bearer <key>"', {
        headers: { 'www-authenticate': 'Bearer' },
      });
    }
    const key = match[1]!;
    const config = limits(c.env);
    const ttl = config.cacheTtlMs;
    const row = await keyCache.get(key, ttl, async () => (await findKey(drizzle(c.env.DB), key)) ?? null);
    if (!row) throw new ApiError(401, 'unauthorized', 'the API key is unknown or revoked', { headers: { 'www-authenticate': 'Bearer' } });
    if (!row.scopes.includes(scope) && !row.scopes.includes('admin')) {
      throw new ApiError(403, 'forbidden', `this key lacks the "${scope}" scope`);
    }
    const caller = { tenantId: row.tenantId, keyId: row.id, scopes: row.scopes };
    c.set('caller', caller);
    if (config.rateLimits) await checkRateLimits({ key: c.env.KEY_LIMITER, tenant: c.env.TENANT_LIMITER, periodSeconds: 60 }, caller);
    await next();
  });

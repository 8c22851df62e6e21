// Per-key and per-tenant rate limits through Workers Rate Limiting bindings (limits in
// wrangler.toml). The binding says only yes or no, so Retry-After is the whole period.

import { ApiError } from '../../../schemas/api/problems.ts';
import type { Caller } from '../context.ts';

export interface Limiters {
  key?: RateLimit;
  tenant?: RateLimit;
  periodSeconds: number;
}

export async function checkRateLimits(limiters: Limiters, caller: Caller): Promise<void> {
  const [key, tenant] = await Promise.all([
    limiters.key?.limit({ key: `key:${caller.keyId}` }),
    limiters.tenant?.limit({ key: `tenant:${caller.tenantId}` }),
  ]);
  const which = key && !key.success ? 'this API key' : tenant && !tenant.success ? 'your tenant' : undefined;
  if (which) {
    throw new ApiError('rate-limited', `too many requests for ${which}; try again in ${limiters.periodSeconds} s`, {
      headers: { 'retry-after': String(limiters.periodSeconds) },
    });
  }
}

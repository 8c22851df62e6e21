// Per-key and per-tenant rate limits through Workers Rate Limiting bindings (limits in
// wrangler.toml), and for publishable keys one more per key and client address, so one
// end user of a public page cannot spend what the page's other users need. The binding
// says only yes or no, so Retry-After is the whole period.

import { ApiError } from '../../../schemas/api/problems.ts';
import type { Caller } from '../context.ts';

export interface Limiters {
  key?: RateLimit;
  tenant?: RateLimit;
  /** publishable keys: per key and client address */
  endUser?: RateLimit;
  periodSeconds: number;
}

export async function checkRateLimits(
  limiters: Limiters,
  caller: Pick<Caller, 'keyId' | 'tenantId'> & { kind?: Caller['kind'] },
  address?: string,
): Promise<void> {
  const perAddress = caller.kind === 'publishable' && address !== undefined ? limiters.endUser : undefined;
  const [endUser, key, tenant] = await Promise.all([
    perAddress?.limit({ key: `pk:${caller.keyId}:${address}` }),
    limiters.key?.limit({ key: `key:${caller.keyId}` }),
    limiters.tenant?.limit({ key: `tenant:${caller.tenantId}` }),
  ]);
  const which =
    endUser && !endUser.success
      ? 'your address with this publishable key'
      : key && !key.success
        ? 'this API key'
        : tenant && !tenant.success
          ? 'your tenant'
          : undefined;
  if (which) {
    throw new ApiError('rate-limited', `too many requests for ${which}; try again in ${limiters.periodSeconds} s`, {
      headers: { 'retry-after': String(limiters.periodSeconds) },
    });
  }
}

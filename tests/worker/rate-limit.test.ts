// Rate limits: the same check requireKey runs, against a real Rate Limiting binding with
// a small limit (the app's own limiters are set high for the other tests).
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { checkRateLimits } from '../../functions/http/middleware/rate-limit.ts';
import { ApiError } from '../../schemas/api/problems.ts';

const caller = (keyId: string, tenantId: string) => ({ keyId, tenantId, scopes: ['infer'] });

describe('rate limits', () => {
  it('answers 429 with Retry-After once a key is over its limit, and counts keys apart', async () => {
    const limiters = { key: env.TEST_LIMITER, periodSeconds: 60 };
    for (let i = 0; i < 3; i++) await checkRateLimits(limiters, caller('k1', 't1'));
    const err = await checkRateLimits(limiters, caller('k1', 't1')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(429);
    expect((err as ApiError).headers).toEqual({ 'retry-after': '60' });
    expect((err as ApiError).message).toMatch(/this API key/);
    await checkRateLimits(limiters, caller('k2', 't1')); // another key is not affected
  });
  it('limits a tenant across its keys', async () => {
    const limiters = { tenant: env.TEST_LIMITER, periodSeconds: 60 };
    for (let i = 0; i < 3; i++) await checkRateLimits(limiters, caller(`key-${i}`, 't9'));
    const err = await checkRateLimits(limiters, caller('key-new', 't9')).catch((e: unknown) => e);
    expect((err as ApiError).message).toMatch(/your tenant/);
  });
});

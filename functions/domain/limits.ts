// Cost-aware limits per tenant: items and tokens per minute beside the request limits.
// Counting happens off the request path: the usage consumer (jobs/usage.ts), which sees
// every metered request of every isolate, sums each tenant's last minute and sets
// tenants.throttled_until when a limit is reached. Requests only read that verdict,
// through this isolate's cache, so a tenant may overshoot by what it sends before the
// verdict reaches an isolate (the consumer's batch window plus CACHE_TTL_MS).
import { and, eq, gte, notInArray, sql } from 'drizzle-orm';
import { ApiError } from '../../schemas/api/problems.ts';
import { tenants, usageEvents } from '../../schemas/db/schema.ts';
import { limits } from '../infra/config.ts';
import type { Db } from '../infra/db.ts';
import { TtlCache } from '../infra/ttl-cache.ts';

const WINDOW_MS = 60_000;
/** metered by the queue's own pace, not by a caller's: batch chunks and merges */
const BACKGROUND = ['batch', 'merge'];

type Throttle = { until: number; by: string } | null;
/** tenant id → its throttle (module scope: lives across requests, CACHE_TTL_MS) */
const throttles = new TtlCache<Throttle>();

/** 429 while the tenant is over a per-minute limit. Fails open: if D1 cannot be read,
 * serving goes on and the next read decides. */
export async function requireWithinLimits(env: Env, db: Db, tenantId: string): Promise<void> {
  const throttle = await throttles
    .get(tenantId, limits(env).cacheTtlMs, async () => {
      const [row] = await db
        .select({ until: tenants.throttledUntil, by: tenants.throttledBy })
        .from(tenants)
        .where(eq(tenants.id, tenantId));
      return row?.until ? { until: row.until, by: row.by ?? 'a per-minute limit' } : null;
    })
    .catch(() => null);
  const wait = throttle ? Math.ceil((throttle.until - Date.now()) / 1000) : 0;
  if (wait > 0) {
    throw new ApiError('rate-limited', `your tenant is over its ${throttle!.by}; try again in ${wait} s`, {
      headers: { 'retry-after': String(wait) },
    });
  }
}

/** Sums each tenant's last minute of metered usage and throttles those at a limit. */
export async function updateThrottles(env: Env, db: Db, tenantIds: string[], now = Date.now()): Promise<void> {
  const defaults = limits(env);
  for (const tenantId of new Set(tenantIds)) {
    const [tenant] = await db.select().from(tenants).where(eq(tenants.id, tenantId));
    if (!tenant) continue;
    const [used] = await db
      .select({
        items: sql<number>`coalesce(sum(${usageEvents.items}), 0)`,
        tokens: sql<number>`coalesce(sum(${usageEvents.inputTokens}), 0)`,
        oldest: sql<number | null>`min(${usageEvents.createdAt})`,
      })
      .from(usageEvents)
      .where(
        and(eq(usageEvents.tenantId, tenantId), gte(usageEvents.createdAt, now - WINDOW_MS), notInArray(usageEvents.operation, BACKGROUND)),
      );
    const itemLimit = tenant.itemsPerMinute ?? defaults.itemsPerMinute;
    const tokenLimit = tenant.tokensPerMinute ?? defaults.tokensPerMinute;
    const by =
      used && used.items >= itemLimit
        ? `${itemLimit} items per minute`
        : used && used.tokens >= tokenLimit
          ? `${tokenLimit} input tokens per minute`
          : null;
    // throttled until the oldest usage counted leaves the window; then the next
    // requests are counted afresh
    const until = by ? Math.max(now + 1000, (used?.oldest ?? now) + WINDOW_MS) : null;
    if (until !== tenant.throttledUntil || by !== tenant.throttledBy) {
      await db.update(tenants).set({ throttledUntil: until, throttledBy: by }).where(eq(tenants.id, tenantId));
    }
  }
}

/** Callers without a valid key (failed authentication, /readyz, the OpenAPI document,
 * hooks) are counted per client address: 429 past ANON_LIMITER's limit. */
export async function limitAnonymous(env: Env, address: string): Promise<void> {
  if (!limits(env).rateLimits || !env.ANON_LIMITER) return;
  const { success } = await env.ANON_LIMITER.limit({ key: `anon:${address}` });
  if (!success) {
    throw new ApiError('rate-limited', 'too many requests without a valid API key from your address; try again in 60 s', {
      headers: { 'retry-after': '60' },
    });
  }
}

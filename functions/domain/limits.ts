// Cost-aware limits per tenant: items and tokens per minute beside the request limits,
// enforced twice. Across isolates, the usage consumer (jobs/usage.ts), which sees every
// metered request, sums each tenant's last minute and sets tenants.throttled_until when
// a limit is reached; requests read that verdict through this isolate's cache, so it
// lags by the consumer's batch window plus CACHE_TTL_MS. Within an isolate, the same
// rates are held at once by a token bucket per tenant (a few seconds of burst), so one
// tenant's dear requests cannot take over an isolate others share while the verdict is
// on its way.
import { and, eq, gte, notInArray, sql } from 'drizzle-orm';
import { ApiError } from '../../schemas/api/problems.ts';
import { tenants, usageEvents } from '../../schemas/db/schema.ts';
import { limits } from '../infra/config.ts';
import type { Db } from '../infra/db.ts';
import { TtlCache } from '../infra/ttl-cache.ts';
import { CLIENT_OPERATION } from './usage/client.ts';

const WINDOW_MS = 60_000;
/** metered by the queue's own pace, not by a caller's (batch chunks and merges), or not
 * the Worker's work at all (runs a browser reported) */
const BACKGROUND = ['batch', 'merge', CLIENT_OPERATION];
/** seconds of a tenant's per-minute rate an isolate lets it spend at once */
const BURST_S = 5;

interface TenantLimits {
  throttledUntil: number | null;
  throttledBy: string | null;
  itemsPerMinute: number;
  tokensPerMinute: number;
}
/** tenant id → its limits and throttle (module scope: lives across requests, CACHE_TTL_MS) */
const tenantLimits = new TtlCache<TenantLimits>();
/** tenant id → what is left of its items and tokens in this isolate (module scope) */
const buckets = new Map<string, { items: number; tokens: number; at: number }>();

/** The tenant's limits. Fails open: if D1 cannot be read, the defaults and no throttle. */
async function limitsOf(env: Env, db: Db, tenantId: string): Promise<TenantLimits> {
  const defaults = limits(env);
  const fallback = {
    throttledUntil: null,
    throttledBy: null,
    itemsPerMinute: defaults.itemsPerMinute,
    tokensPerMinute: defaults.tokensPerMinute,
  };
  return tenantLimits
    .get(tenantId, defaults.cacheTtlMs, async () => {
      const [row] = await db.select().from(tenants).where(eq(tenants.id, tenantId));
      return {
        throttledUntil: row?.throttledUntil ?? null,
        throttledBy: row?.throttledBy ?? null,
        itemsPerMinute: row?.itemsPerMinute ?? defaults.itemsPerMinute,
        tokensPerMinute: row?.tokensPerMinute ?? defaults.tokensPerMinute,
      };
    })
    .catch(() => fallback);
}

const tooMuch = (what: string, waitS: number) =>
  new ApiError('rate-limited', `your tenant is over its ${what}; try again in ${waitS} s`, { headers: { 'retry-after': String(waitS) } });

/** 429 while the usage consumer has the tenant throttled (batch starts, inference). */
export async function requireWithinLimits(env: Env, db: Db, tenantId: string): Promise<void> {
  if (!limits(env).rateLimits) return;
  const mine = await limitsOf(env, db, tenantId);
  const wait = mine.throttledUntil ? Math.ceil((mine.throttledUntil - Date.now()) / 1000) : 0;
  if (wait > 0) throw tooMuch(mine.throttledBy ?? 'per-minute limit', wait);
}

/** Admits an inference of `items` inputs against the tenant's throttle and its share of
 * this isolate, charging the items now; the returned function charges the input tokens,
 * known only once the inputs are tokenized (a tenant in debt waits until it is repaid). */
export async function admitInference(env: Env, db: Db, tenantId: string, items: number): Promise<(tokens: number) => void> {
  if (!limits(env).rateLimits) return () => {};
  await requireWithinLimits(env, db, tenantId);
  const mine = await limitsOf(env, db, tenantId);
  const [itemRate, tokenRate] = [mine.itemsPerMinute / 60_000, mine.tokensPerMinute / 60_000]; // per ms
  const now = Date.now();
  const b = buckets.get(tenantId) ?? { items: itemRate * BURST_S * 1000, tokens: tokenRate * BURST_S * 1000, at: now };
  b.items = Math.min(itemRate * BURST_S * 1000, b.items + (now - b.at) * itemRate);
  b.tokens = Math.min(tokenRate * BURST_S * 1000, b.tokens + (now - b.at) * tokenRate);
  b.at = now;
  if (buckets.size >= 10_000) buckets.clear();
  buckets.set(tenantId, b);
  if (b.tokens < 0) throw tooMuch(`${mine.tokensPerMinute} input tokens per minute`, Math.ceil(-b.tokens / tokenRate / 1000));
  if (b.items < items) throw tooMuch(`${mine.itemsPerMinute} items per minute`, Math.ceil((items - b.items) / itemRate / 1000));
  b.items -= items;
  return (tokens) => {
    b.tokens -= tokens;
  };
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

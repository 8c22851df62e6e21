// Which browser origins may use a tenant's keys, and which models a publishable key may
// call. A browser names its page's origin on every cross-origin request (the Origin
// header); a page cannot forge it, though a non-browser client can, so origins keep a
// publishable key on the sites it was made for, while per-address limits (http/
// middleware/auth.ts) bound what anyone holding it can spend.
import { eq } from 'drizzle-orm';
import { ApiError } from '../../schemas/api/problems.ts';
import { tenants } from '../../schemas/db/schema.ts';
import type { Db } from '../infra/db.ts';
import { TtlCache } from '../infra/ttl-cache.ts';

export interface TenantOrigins {
  /** origins of the tenant's publishable keys that name none of their own */
  defaultOrigins: string[];
  /** origins the tenant's secret keys may be used from in a browser */
  secretKeyOrigins: string[];
}

/** tenant id → its origins (module scope: lives across requests, CACHE_TTL_MS) */
const cache = new TtlCache<TenantOrigins>();

export async function tenantOrigins(db: Db, tenantId: string, ttlMs = 0): Promise<TenantOrigins> {
  return cache.get(tenantId, ttlMs, async () => {
    const [row] = await db.select().from(tenants).where(eq(tenants.id, tenantId));
    if (!row) throw new ApiError('tenant-not-found', `no tenant "${tenantId}"`);
    return { defaultOrigins: row.defaultOrigins ?? [], secretKeyOrigins: row.secretKeyOrigins ?? [] };
  });
}

/** Replaces the lists that are given; forgets this isolate's cached copy at once. */
export async function setTenantOrigins(db: Db, tenantId: string, next: Partial<TenantOrigins>): Promise<TenantOrigins> {
  const [row] = await db
    .update(tenants)
    .set({
      ...(next.defaultOrigins ? { defaultOrigins: next.defaultOrigins } : {}),
      ...(next.secretKeyOrigins ? { secretKeyOrigins: next.secretKeyOrigins } : {}),
    })
    .where(eq(tenants.id, tenantId))
    .returning();
  if (!row) throw new ApiError('tenant-not-found', `no tenant "${tenantId}"`);
  cache.delete(tenantId);
  return { defaultOrigins: row.defaultOrigins ?? [], secretKeyOrigins: row.secretKeyOrigins ?? [] };
}

/** Whether `origin` is in the list: "*" is every origin and "https://*.example.com" every
 * subdomain of example.com (schemas/api/keys.ts states the form). */
export function originAllowed(allowed: readonly string[], origin: string): boolean {
  return allowed.some((a) => {
    if (a === '*' || a === origin) return true;
    const star = /^(https?:\/\/)\*\.(.+)$/.exec(a);
    if (!star) return false;
    const [, scheme, rest] = star as unknown as [string, string, string];
    return origin.startsWith(scheme) && origin.slice(scheme.length).endsWith(`.${rest}`);
  });
}

/** A model a publishable key names: "name" (any alias or version) or "name@alias". */
export function parseModelRef(ref: string): { model: string; alias?: string } {
  const at = ref.indexOf('@');
  return at < 0 ? { model: ref } : { model: ref.slice(0, at), alias: ref.slice(at + 1) };
}

/** 403 unless the key's models let it call `model` through what the request asks for:
 * a pinned version only where the key names the whole model, an alias (default prod)
 * where it names the model or that alias. */
export function requireModelAllowed(models: readonly string[], model: string, want: { alias?: string; version?: number }): void {
  const alias = want.version === undefined ? (want.alias ?? 'prod') : undefined;
  const ok = models.some((ref) => {
    const r = parseModelRef(ref);
    return r.model === model && (r.alias === undefined || r.alias === alias);
  });
  if (!ok) {
    const asked = want.version !== undefined ? `version ${want.version} of "${model}"` : `"${model}@${alias}"`;
    throw new ApiError('model-not-allowed', `this publishable key may not call ${asked}; it may call ${models.join(', ')}`);
  }
}

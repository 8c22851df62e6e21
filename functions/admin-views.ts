// Rows → API shapes for the admin routes.
import { ApiKey, Tenant } from '../schemas/api/admin.ts';
import type { tenants } from '../schemas/db/schema.ts';
import type { KeyRow } from './keys.ts';

/** Epoch milliseconds as ISO 8601 (null stays null). */
export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const tenantView = (t: typeof tenants.$inferSelect) => Tenant.parse({ id: t.id, name: t.name, created_at: iso(t.createdAt) });
export const keyView = (k: KeyRow) =>
  ApiKey.parse({ id: k.id, prefix: k.prefix, name: k.name, scopes: k.scopes, created_at: iso(k.createdAt), revoked_at: iso(k.revokedAt) });

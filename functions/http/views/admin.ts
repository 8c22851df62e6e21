// Rows → API shapes for the admin routes.
import { ApiKey, Tenant } from '../../../schemas/api/admin.ts';
import type { KeyRow } from '../../domain/keys.ts';
import type { TenantRow } from '../../domain/tenants.ts';
import { iso } from './time.ts';

export const tenantView = (t: TenantRow) => Tenant.parse({ id: t.id, name: t.name, created_at: iso(t.createdAt) });

export const keyView = (k: KeyRow) =>
  ApiKey.parse({ id: k.id, prefix: k.prefix, name: k.name, scopes: k.scopes, created_at: iso(k.createdAt), revoked_at: iso(k.revokedAt) });

// Rows → API shapes for the admin routes.
import { ApiKey, Tenant } from '../../../schemas/api/admin.ts';
import { Origins } from '../../../schemas/api/keys.ts';
import type { KeyRow } from '../../domain/keys.ts';
import type { TenantOrigins } from '../../domain/origins.ts';
import type { TenantRow } from '../../domain/tenants.ts';
import { iso } from './time.ts';

export const tenantView = (t: TenantRow) => Tenant.parse({ id: t.id, name: t.name, created_at: iso(t.createdAt) });

export const keyView = (k: KeyRow) =>
  ApiKey.parse({
    id: k.id,
    prefix: k.prefix,
    name: k.name,
    scopes: k.scopes,
    kind: k.kind,
    models: k.models ?? null,
    origins: k.origins ?? null,
    created_at: iso(k.createdAt),
    revoked_at: iso(k.revokedAt),
  });

export const originsView = (o: TenantOrigins) =>
  Origins.parse({ default_origins: o.defaultOrigins, secret_key_origins: o.secretKeyOrigins });

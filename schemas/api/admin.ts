import { z } from '@hono/zod-openapi';
import { KEY_KINDS, SCOPES } from '../vocabulary.ts';
import { pathId, Timestamp } from './common.ts';

export { SCOPES, type Scope } from '../vocabulary.ts';

export const ScopeName = z.enum(SCOPES);

export const Tenant = z.object({ id: z.string(), name: z.string(), created_at: Timestamp }).openapi('Tenant');
export const TenantList = z.object({ tenants: z.array(Tenant) }).openapi('TenantList');
export const CreateTenant = z
  .object({
    name: z.string().min(1).max(100),
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)
      .optional()
      .openapi({ description: 'default: a random UUID' }),
  })
  .openapi('CreateTenant');

export const ApiKey = z
  .object({
    id: z.string(),
    prefix: z.string().openapi({ description: 'the first characters of the key, to recognize it by' }),
    name: z.string(),
    scopes: z.array(ScopeName),
    kind: z.enum(KEY_KINDS).openapi({ description: 'secret (chm_…, servers only) or publishable (chm_pk_…, inference from web pages)' }),
    models: z.array(z.string()).nullable().openapi({ description: 'publishable keys: the models they may run' }),
    origins: z
      .array(z.string())
      .nullable()
      .openapi({ description: "publishable keys: their browser origins (null: the tenant's default_origins)" }),
    created_at: Timestamp,
    revoked_at: Timestamp.nullable(),
  })
  .openapi('ApiKey');
export const ApiKeyList = z.object({ keys: z.array(ApiKey) }).openapi('ApiKeyList');
export const IssuedKey = ApiKey.extend({
  key: z.string().openapi({ description: 'the key itself: shown this once, stored only as a hash' }),
}).openapi('IssuedKey');
export const CreateKey = z
  .object({
    name: z.string().max(100).default(''),
    scopes: z.array(ScopeName).min(1).default(['infer']),
  })
  .openapi('CreateKey');

export const TenantParams = z.object({ tenant: pathId('tenant', 'the tenant id') });
export const KeyParams = TenantParams.extend({ key: pathId('key', 'the key id') });

// Publishable keys and browser origins (issue 16): what a tenant, or the admin for it,
// sends to issue and change them. Listings use ApiKey (schemas/api/admin.ts).
import { z } from '@hono/zod-openapi';
import { pathId } from './common.ts';

/** An origin as browsers send it in the Origin header. */
export const Origin = z
  .string()
  .max(300)
  .regex(
    /^(\*|https?:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?)$/,
    'scheme://host[:port], lowercase, no path; or * or https://*.host',
  )
  .openapi({
    description:
      'scheme://host[:port] as browsers send it (lowercase, no path or trailing slash); "https://*.example.com" for every subdomain, "*" for every origin',
    example: 'https://www.example.com',
  });
export const OriginList = z.array(Origin).max(50);

/** A model a publishable key may call: any alias or version of it, or one alias. */
export const ModelRef = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}(@[a-z0-9_-]{1,32})?$/, 'a model name, or name@alias')
  .openapi({ description: '"name" (any alias or pinned version) or "name@alias" (that alias only)', example: 'senteval-multitask@prod' });

export const CreatePublishableKey = z
  .object({
    name: z.string().max(100).default(''),
    models: z.array(ModelRef).min(1).max(50).openapi({ description: 'the models it may run' }),
    origins: OriginList.optional().openapi({
      description: "the browser origins it may be used from (default: the tenant's default_origins, read on every request)",
    }),
  })
  .openapi('CreatePublishableKey');

export const UpdatePublishableKey = z
  .object({
    name: z.string().max(100).optional(),
    models: z.array(ModelRef).min(1).max(50).optional(),
    origins: OriginList.nullable().optional().openapi({ description: "null: follow the tenant's default_origins" }),
  })
  .openapi('UpdatePublishableKey', {
    description: 'the fields to change; the key itself stays the same, so pages carrying it keep working',
  });

export const Origins = z
  .object({
    default_origins: OriginList.openapi({ description: 'origins of the publishable keys that name none of their own' }),
    secret_key_origins: OriginList.openapi({
      description: 'origins a secret key may be sent from by a browser (your own back office); none by default, and best kept so',
    }),
  })
  .openapi('Origins');

export const PublishableKeyParams = z.object({ key: pathId('key', 'the key id') });

import { z } from '@hono/zod-openapi';
import { AliasName } from '../names.ts';
import { ALIAS_ACTIONS } from '../vocabulary.ts';
import { Timestamp, VersionNumber } from './common.ts';
import { ModelParams } from './models.ts';

export const AliasParams = ModelParams.extend({ alias: AliasName.openapi({ param: { name: 'alias', in: 'path' }, example: 'prod' }) });

const Target = z
  .object({
    version: VersionNumber,
    weight: z.number().positive().max(1_000_000).openapi({ description: 'relative: traffic goes to each target in proportion' }),
  })
  .openapi('AliasTarget');

export const SetAlias = z
  .union([
    z.object({ version: VersionNumber }).strict(),
    z
      .object({
        targets: z
          .array(Target)
          .min(1)
          .max(10)
          // JSON Schema cannot say "no two items share a version"; uniqueItems and the text say what it can
          .openapi({ uniqueItems: true, description: 'a traffic split; each version at most once' }),
      })
      .strict()
      .refine((b) => new Set(b.targets.map((t) => t.version)).size === b.targets.length, {
        message: 'each version at most once',
        path: ['targets'],
      }),
  ])
  .openapi('SetAlias', { description: '{version} to point at one version, or {targets: [{version, weight}]} to split traffic (a canary)' });

export const AliasView = z
  .object({
    model: z.string(),
    alias: z.string(),
    targets: z.array(Target),
    updated_at: Timestamp,
  })
  .openapi('Alias');

export const AliasEvent = z
  .object({
    action: z.enum(ALIAS_ACTIONS),
    from: z.array(Target).nullable(),
    to: z.array(Target),
    actor: z.string().openapi({ description: 'the key id that made the change' }),
    at: Timestamp,
  })
  .openapi('AliasEvent');
export const AliasHistory = z.object({ model: z.string(), alias: z.string(), events: z.array(AliasEvent) }).openapi('AliasHistory');

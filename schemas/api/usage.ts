import { z } from '@hono/zod-openapi';
import { Count, Timestamp } from './common.ts';

// The document promises RFC 3339 dates and date-times; the server reads whatever
// Date.parse reads (as it always has), inside the range an ISO 8601 answer can name
// (30 days are subtracted from `to` for the default `from`).
const LIMIT_MS = 8.64e15 - 31 * 86_400_000;
const instant = z
  .string()
  .refine((s) => Math.abs(Date.parse(s)) <= LIMIT_MS, 'an ISO 8601 date or date-time')
  .openapi({
    anyOf: [
      { type: 'string', format: 'date' },
      { type: 'string', format: 'date-time' },
    ],
  });

const GROUPS = ['day', 'model', 'version', 'task', 'operation'] as const;

export const UsageQuery = z.object({
  from: instant.optional().openapi({ description: 'inclusive; default 30 days before `to`', example: '2026-11-01' }),
  to: instant.optional().openapi({ description: 'exclusive; default now' }),
  group_by: z.enum(GROUPS).default('day'),
});
export const AdminUsageQuery = UsageQuery.extend({
  group_by: z.enum([...GROUPS, 'tenant']).default('tenant'),
  tenant: z.string().optional().openapi({ description: 'one tenant only' }),
});

export const UsageRow = z.object({
  key: z.string().openapi({ description: 'the group: a day (YYYY-MM-DD), model, model@version, task, operation or tenant' }),
  requests: Count,
  errors: Count,
  items: Count,
  input_tokens: Count,
  mean_latency_ms: z.number().min(0),
});
export const UsageReport = z
  .object({
    from: Timestamp,
    to: Timestamp,
    group_by: z.enum([...GROUPS, 'tenant']),
    rows: z.array(UsageRow),
  })
  .openapi('UsageReport');

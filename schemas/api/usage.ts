import { z } from '@hono/zod-openapi';

const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 date or date-time');

export const UsageQuery = z.object({
  from: instant.optional().openapi({ description: 'inclusive; default 30 days ago', example: '2026-11-01' }),
  to: instant.optional().openapi({ description: 'exclusive; default now' }),
  group_by: z.enum(['day', 'model', 'version', 'task', 'operation']).default('day'),
});
export const AdminUsageQuery = UsageQuery.extend({
  group_by: z.enum(['day', 'model', 'version', 'task', 'operation', 'tenant']).default('tenant'),
  tenant: z.string().optional(),
});

export const UsageRow = z.object({
  key: z.string().openapi({ description: 'the group: a day (YYYY-MM-DD), model, model@version, task, operation or tenant' }),
  requests: z.number().int(),
  errors: z.number().int(),
  items: z.number().int(),
  input_tokens: z.number().int(),
  mean_latency_ms: z.number(),
});
export const UsageReport = z
  .object({
    from: z.string(),
    to: z.string(),
    group_by: z.string(),
    rows: z.array(UsageRow),
  })
  .openapi('UsageReport');

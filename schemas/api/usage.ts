import { z } from '@hono/zod-openapi';
import { ModelName } from '../names.ts';
import { Count, Timestamp, VersionNumber } from './common.ts';

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
const SOURCES = ['metered', 'client'] as const;

export const UsageQuery = z.object({
  from: instant.optional().openapi({ description: 'inclusive; default 30 days before `to`', example: '2026-11-01' }),
  to: instant.optional().openapi({ description: 'exclusive; default now' }),
  group_by: z.enum(GROUPS).default('day'),
  source: z
    .enum(SOURCES)
    .default('metered')
    .openapi({ description: 'metered: what the Worker served (billed); client: runs browsers reported themselves (never billed)' }),
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
  p50_latency_ms: z.number().min(0).openapi({ description: 'median latency (nearest rank)' }),
  p99_latency_ms: z.number().min(0).openapi({ description: '99th percentile latency (nearest rank)' }),
});
export const UsageReport = z
  .object({
    from: Timestamp,
    to: Timestamp,
    group_by: z.enum([...GROUPS, 'tenant']),
    source: z.enum(SOURCES),
    rows: z.array(UsageRow),
  })
  .openapi('UsageReport');

/** One run a browser made itself (@chimera/client/browser), reported for the record. */
export const ClientRun = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .openapi({ description: 'made by the client once per run (a UUID): a run reported twice is recorded once' }),
  model: ModelName,
  version: VersionNumber,
  tasks: z.array(z.string().max(64)).max(64).optional(),
  items: Count.max(100_000),
  input_tokens: Count.max(100_000_000),
  latency_ms: z.number().min(0).max(86_400_000),
  backend: z.enum(['webgpu', 'wasm']),
});
export const ClientRuns = z
  .object({ runs: z.array(ClientRun).min(1).max(100) })
  .openapi('ClientRuns', { description: 'runs made in the browser, kept apart from metered usage (GET /v1/usage?source=client)' });
export type ClientRun = z.infer<typeof ClientRun>;
export const ClientRunsAccepted = z.object({ accepted: Count }).openapi('ClientRunsAccepted');

// The words the API and the database share: key scopes, the states of uploads, merges,
// batches and deliveries, alias actions and webhook events. The D1 tables type their
// columns with these (Drizzle enums) and the API schemas validate with them, so a state
// added in one place is known everywhere.

export const SCOPES = ['infer', 'models:write', 'batches', 'usage:read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export const UPLOAD_STATUSES = ['open', 'committed'] as const;
export const MERGE_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
/** validating: an input file is being read (in the queue) into chunks */
export const BATCH_STATUSES = ['validating', 'queued', 'running', 'completed', 'failed', 'cancelled', 'expired'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
/** the states of a batch that has not ended */
export const LIVE_BATCH_STATUSES = ['validating', 'queued', 'running'] as const satisfies readonly BatchStatus[];
/** the states a batch ends in */
export const BATCH_ENDINGS = ['completed', 'failed', 'cancelled', 'expired'] as const satisfies readonly BatchStatus[];
export type BatchEnding = (typeof BATCH_ENDINGS)[number];
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export const ALIAS_ACTIONS = ['set', 'rollback'] as const;

export const WEBHOOK_EVENTS = [
  'batch.completed',
  'batch.failed',
  'batch.cancelled',
  'batch.expired',
  'merge.completed',
  'merge.failed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** where a job's webhooks go, and which events (default: all) */
export interface WebhookTarget {
  url: string;
  events?: string[];
}

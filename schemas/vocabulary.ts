// The words the API and the database share: key scopes, the states of uploads, merges,
// batches and deliveries, alias actions and webhook events. The D1 tables type their
// columns with these (Drizzle enums) and the API schemas validate with them, so a state
// added in one place is known everywhere.

/** keys: issue and manage the tenant's publishable keys and browser origins */
export const SCOPES = ['infer', 'models:write', 'batches', 'usage:read', 'keys', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];
/** secret keys (chm_…) stay on servers; publishable ones (chm_pk_…) only infer, on the
 * models and from the origins named on them, and may sit in a web page */
export const KEY_KINDS = ['secret', 'publishable'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

export const UPLOAD_STATUSES = ['open', 'committed'] as const;
export const MERGE_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
/** validating: an input file is being read (in the queue) into chunks */
export const BATCH_STATUSES = ['validating', 'queued', 'running', 'completed', 'failed', 'cancelled', 'expired'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
/** the states of a batch that has not ended */
export const LIVE_BATCH_STATUSES = ['validating', 'queued', 'running'] as const satisfies readonly BatchStatus[];
/** the states a batch ends in */
/** the wire format of a batch's input and output lines: Chimera's own, or OpenAI's
 * (/openai/v1/batches) */
export const BATCH_FORMATS = ['chimera', 'openai'] as const;
export type BatchFormat = (typeof BATCH_FORMATS)[number];
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

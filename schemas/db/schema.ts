// D1 tables (Drizzle). API shapes live in schemas/api and are kept apart from these.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import {
  ALIAS_ACTIONS,
  BATCH_FORMATS,
  BATCH_STATUSES,
  DELIVERY_STATUSES,
  KEY_KINDS,
  MERGE_STATUSES,
  type Scope,
  UPLOAD_STATUSES,
  type WebhookTarget,
} from '../vocabulary.ts';

const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;
const createdAt = () => integer('created_at', { mode: 'number' }).notNull().default(now);

/** Limits left null take the defaults in [vars] (ITEMS_PER_MINUTE, TOKENS_PER_MINUTE,
 * STORAGE_QUOTA_MB). The usage consumer sets throttled_until when a tenant's last minute
 * of usage reaches a limit; inference and batch starts answer 429 until then. */
export const tenants = sqliteTable('tenants', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: createdAt(),
  itemsPerMinute: integer('items_per_minute'),
  tokensPerMinute: integer('tokens_per_minute'),
  storageQuotaBytes: integer('storage_quota_bytes'),
  throttledUntil: integer('throttled_until'),
  /** which limit the tenant reached, for the 429's detail */
  throttledBy: text('throttled_by'),
  /** browser origins of its publishable keys that name none of their own */
  defaultOrigins: text('default_origins', { mode: 'json' }).$type<string[]>(),
  /** browser origins its secret keys may be used from (none by default: a secret key in
   * a web page is refused) */
  secretKeyOrigins: text('secret_key_origins', { mode: 'json' }).$type<string[]>(),
});

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    /** the key's first characters, shown in listings and used to find it */
    prefix: text('prefix').notNull(),
    /** sha256 of the whole key, hex; the key itself is never stored */
    hash: text('hash').notNull(),
    name: text('name').notNull().default(''),
    scopes: text('scopes', { mode: 'json' }).$type<Scope[]>().notNull(),
    kind: text('kind', { enum: KEY_KINDS }).notNull().default('secret'),
    /** publishable keys: the models they may call ("name", or "name@alias" for one alias) */
    models: text('models', { mode: 'json' }).$type<string[]>(),
    /** publishable keys: their browser origins (null: the tenant's default_origins) */
    origins: text('origins', { mode: 'json' }).$type<string[]>(),
    createdAt: createdAt(),
    revokedAt: integer('revoked_at', { mode: 'number' }),
  },
  (t) => [uniqueIndex('api_keys_prefix').on(t.prefix)],
);

/** owner is a tenant id, or 'public' for models every tenant sees */
export const models = sqliteTable(
  'models',
  {
    id: text('id').primaryKey(),
    owner: text('owner').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('models_owner_name').on(t.owner, t.name)],
);

export const modelVersions = sqliteTable(
  'model_versions',
  {
    id: text('id').primaryKey(),
    modelId: text('model_id')
      .notNull()
      .references(() => models.id),
    /** 1, 2, 3… per model */
    number: integer('number').notNull(),
    /** the manifest JSON; its files name the R2 blobs by sha256 */
    manifest: text('manifest', { mode: 'json' }).$type<unknown>().notNull(),
    sha256: text('sha256').notNull(),
    bytes: integer('bytes').notNull(),
    /** what made it: "upload:<id>" or "merge:<id>" (null for the CLI and seeding); unique,
     * so an upload or a merge can make at most one version however many commits race */
    origin: text('origin'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('model_versions_model_number').on(t.modelId, t.number), uniqueIndex('model_versions_origin').on(t.origin)],
);

/** Which tenant may use which stored blob: one that sent and verified those bytes itself
 * (an upload, a merge it ran, a publish as its owner; 'public' for public models). A
 * commit may name only blobs its tenant holds here or public ones, so knowing a sha256
 * is not enough to use someone else's weights. bytes is the verified size. */
export const blobGrants = sqliteTable(
  'blob_grants',
  {
    tenantId: text('tenant_id').notNull(),
    sha256: text('sha256').notNull(),
    bytes: integer('bytes').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.sha256] }), index('blob_grants_sha256').on(t.sha256)],
);

export interface AliasTarget {
  version: number;
  weight: number;
}
export const aliases = sqliteTable(
  'aliases',
  {
    modelId: text('model_id')
      .notNull()
      .references(() => models.id),
    name: text('name').notNull(),
    targets: text('targets', { mode: 'json' }).$type<AliasTarget[]>().notNull(),
    updatedAt: integer('updated_at', { mode: 'number' }).notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.name] })],
);

/** A version being uploaded: files go to R2 one by one, then a commit validates the
 * whole and makes the version visible in one batch. */
export const uploads = sqliteTable('uploads', {
  id: text('id').primaryKey(),
  tenantId: text('tenant_id')
    .notNull()
    .references(() => tenants.id),
  model: text('model').notNull(),
  manifest: text('manifest', { mode: 'json' }).$type<unknown>().notNull(),
  alias: text('alias'),
  status: text('status', { enum: UPLOAD_STATUSES }).notNull(),
  version: integer('version'),
  createdAt: createdAt(),
});

/** A merge job: queued by the API, run by the queue consumer, ending in a new version. */
export const merges = sqliteTable(
  'merges',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    model: text('model').notNull(),
    request: text('request', { mode: 'json' }).$type<unknown>().notNull(),
    status: text('status', { enum: MERGE_STATUSES }).notNull(),
    progress: real('progress').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    version: integer('version'),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'number' }).notNull().default(now),
  },
  (t) => [index('merges_tenant').on(t.tenantId, t.createdAt)],
);

/** An uploaded input file (JSONL, one {"custom_id", "input"} per line) kept in R2. */
export const files = sqliteTable('files', {
  id: text('id').primaryKey(),
  tenantId: text('tenant_id')
    .notNull()
    .references(() => tenants.id),
  bytes: integer('bytes').notNull(),
  lines: integer('lines').notNull(),
  /** OpenAI's files (/openai/v1/files) keep the name and purpose they were sent with */
  filename: text('filename'),
  purpose: text('purpose'),
  createdAt: createdAt(),
});

/** A batch job: inputs split into chunks, each run once by the queue consumer. */
export const batches = sqliteTable(
  'batches',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    model: text('model').notNull(),
    version: integer('version').notNull(),
    modelVersionId: text('model_version_id').notNull(),
    tasks: text('tasks', { mode: 'json' }).$type<string[]>().notNull(),
    status: text('status', { enum: BATCH_STATUSES }).notNull(),
    format: text('format', { enum: BATCH_FORMATS }).notNull().default('chimera'),
    total: integer('total').notNull(),
    invalid: integer('invalid').notNull().default(0),
    chunks: integer('chunks').notNull(),
    idempotencyKey: text('idempotency_key'),
    metadata: text('metadata', { mode: 'json' }).$type<Record<string, string> | null>(),
    webhook: text('webhook', { mode: 'json' }).$type<WebhookTarget | null>(),
    error: text('error'),
    expiresAt: integer('expires_at').notNull(),
    /** the file a validating batch is read from (in the queue, not in the request) */
    inputFileId: text('input_file_id'),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'number' }).notNull().default(now),
  },
  (t) => [index('batches_tenant').on(t.tenantId, t.createdAt), uniqueIndex('batches_idempotency').on(t.tenantId, t.idempotencyKey)],
);

/** One row per finished chunk: counts come from here, so a redelivered chunk is counted once. */
export const batchChunks = sqliteTable(
  'batch_chunks',
  {
    batchId: text('batch_id')
      .notNull()
      .references(() => batches.id),
    chunk: integer('chunk').notNull(),
    completed: integer('completed').notNull(),
    failed: integer('failed').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.chunk] })],
);

/** Each tenant's Standard Webhooks signing secret; the previous one still signs after a
 * rotation, so receivers can switch over without dropping deliveries. Both are stored
 * sealed (AES-GCM under a Worker secret, functions/infra/sealed.ts). */
export const webhookSecrets = sqliteTable('webhook_secrets', {
  tenantId: text('tenant_id')
    .primaryKey()
    .references(() => tenants.id),
  secret: text('secret').notNull(),
  previous: text('previous'),
  rotatedAt: createdAt(),
});

/** One event to one URL; its attempts are logged apart. */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(), // the webhook-id header: the same for every attempt
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    event: text('event').notNull(),
    url: text('url').notNull(),
    payload: text('payload').notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    deliveredAt: integer('delivered_at'),
    /** when its next attempt is due; the outbox sweep sends pending deliveries long
     * overdue (their queue message was lost or never sent) */
    nextAttemptAt: integer('next_attempt_at'),
  },
  (t) => [index('webhook_deliveries_tenant').on(t.tenantId, t.createdAt), index('webhook_deliveries_due').on(t.status, t.nextAttemptAt)],
);

export const webhookAttempts = sqliteTable(
  'webhook_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: real('duration_ms').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_attempts_delivery').on(t.deliveryId)],
);

/** Endpoints that kept failing for 24 hours. */
export const webhookEndpoints = sqliteTable(
  'webhook_endpoints',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    url: text('url').notNull(),
    failingSince: integer('failing_since'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.url] })],
);

/** An inbound hook: another system POSTs a signed event to /v1/hooks/{id} and the batch
 * configured here starts with the inputs it carries. */
export const triggers = sqliteTable('triggers', {
  id: text('id').primaryKey(), // trg_…: the URL names it, so it is unguessable
  tenantId: text('tenant_id')
    .notNull()
    .references(() => tenants.id),
  name: text('name').notNull(),
  secret: text('secret').notNull(), // the whsec_… the sender signs with, sealed (functions/infra/sealed.ts)
  batch: text('batch', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  createdAt: createdAt(),
});

/** webhook-ids already accepted per trigger: a replay is refused. */
export const triggerReceipts = sqliteTable(
  'trigger_receipts',
  {
    triggerId: text('trigger_id')
      .notNull()
      .references(() => triggers.id),
    webhookId: text('webhook_id').notNull(),
    batchId: text('batch_id'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.triggerId, t.webhookId] })],
);

/** Every change to an alias: who made it, when, from which targets to which. */
export const aliasEvents = sqliteTable(
  'alias_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    modelId: text('model_id')
      .notNull()
      .references(() => models.id),
    alias: text('alias').notNull(),
    fromTargets: text('from_targets', { mode: 'json' }).$type<AliasTarget[] | null>(),
    toTargets: text('to_targets', { mode: 'json' }).$type<AliasTarget[]>().notNull(),
    actor: text('actor').notNull(),
    action: text('action', { enum: ALIAS_ACTIONS }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('alias_events_alias').on(t.modelId, t.alias, t.id)],
);

export const usageEvents = sqliteTable(
  'usage_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** made by the server when the event happens ("req:<uuid>", "batch:<id>/<chunk>",
     * "merge:<id>"); unique, so a redelivered or retried write bills once. Null only on
     * rows written before event ids existed (SQLite cannot add it NOT NULL to them). */
    eventId: text('event_id'),
    /** the request id the caller saw (x-request-id), or the job's id */
    requestId: text('request_id').notNull(),
    tenantId: text('tenant_id').notNull(),
    keyId: text('key_id'),
    operation: text('operation').notNull(),
    model: text('model'),
    version: integer('version'),
    tasks: text('tasks', { mode: 'json' }).$type<string[]>(),
    items: integer('items').notNull().default(0),
    inputTokens: integer('input_tokens').notNull().default(0),
    latencyMs: real('latency_ms').notNull(),
    backend: text('backend'),
    status: integer('status').notNull(),
    error: text('error'),
    createdAt: createdAt(),
  },
  (t) => [index('usage_tenant_time').on(t.tenantId, t.createdAt), uniqueIndex('usage_event_id').on(t.eventId)],
);

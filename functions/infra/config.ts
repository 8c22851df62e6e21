// Limits and budgets, from [vars] in wrangler.toml (strings) with sane defaults.
export interface Limits {
  maxInputs: number;
  maxTextChars: number;
  maxBodyBytes: number;
  sessionBudgetBytes: number;
  /** how long an isolate trusts what it read of keys, models and aliases */
  cacheTtlMs: number;
  /** RATE_LIMITS = "off" skips every rate and cost limiter (benchmarks) */
  rateLimits: boolean;
  /** inline inputs a batch may carry (more go through POST /v1/files) */
  maxBatchInline: number;
  /** local development: webhooks may go to http and private addresses */
  webhooksAllowPrivate: boolean;
  /** first webhook retry delay; each later one doubles (with jitter) */
  webhookRetryBaseS: number;
  /** a JSONL line longer than this is one per-line error, never parsed */
  maxLineChars: number;
  /** per-tenant defaults (a tenant's own row may set others): items and tokens per
   * minute, and bytes stored (blobs it uploaded plus its files) */
  itemsPerMinute: number;
  tokensPerMinute: number;
  storageQuotaBytes: number;
  /** first delay before the usage consumer retries a batch D1 refused; then doubling */
  usageRetryBaseS: number;
  /** an upload still open this long after it was opened is abandoned */
  abandonedUploadMs: number;
  /** input files are deleted this long after they were uploaded */
  fileRetentionMs: number;
  /** a pending delivery this far past its due time has lost its queue message */
  outboxGraceMs: number;
  /** MICRO_BATCH = "off" runs every request alone; else concurrent requests share runs
   * on models whose warm-up run took at least minRunMs (models/batcher.ts) */
  microBatch?: { windowMs: number; maxRows: number; maxTokens: number; minRunMs: number };
}

const int = (value: string | undefined, fallback: number): number => {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
};

const parsed = new WeakMap<object, Limits>();

/** The limits in force for these bindings (parsed once per isolate). */
export function limits(env: object): Limits {
  const cached = parsed.get(env);
  if (cached) return cached;
  const vars = env as Record<string, unknown>;
  const v = (k: string) => (typeof vars[k] === 'string' ? (vars[k] as string) : undefined);
  const result: Limits = {
    maxInputs: int(v('MAX_INPUTS'), 64),
    maxTextChars: int(v('MAX_TEXT_CHARS'), 4000),
    maxBodyBytes: int(v('MAX_BODY_BYTES'), 1 << 20),
    // ORT's own heap starts near 16 MiB and JS needs room too: 64 MiB of sessions keeps
    // an isolate well inside its 128 MB.
    sessionBudgetBytes: int(v('SESSION_BUDGET_MB'), 64) * (1 << 20),
    cacheTtlMs: v('CACHE_TTL_MS') === '0' ? 0 : int(v('CACHE_TTL_MS'), 5_000),
    rateLimits: v('RATE_LIMITS') !== 'off',
    maxBatchInline: int(v('MAX_BATCH_INLINE'), 1000),
    webhooksAllowPrivate: v('WEBHOOKS_ALLOW_PRIVATE') === 'true',
    webhookRetryBaseS: int(v('WEBHOOK_RETRY_BASE_S'), 5),
    microBatch:
      v('MICRO_BATCH') === 'off'
        ? undefined
        : {
            windowMs: int(v('MICRO_BATCH_WINDOW_MS'), 2),
            maxRows: int(v('MICRO_BATCH_MAX_ROWS'), 32),
            maxTokens: int(v('MICRO_BATCH_MAX_TOKENS'), 16),
            // 'on' batches every float text model (benchmarks); the default, those whose warm
            // run is slow; int8 models never (models/runtime.ts says why)
            minRunMs: v('MICRO_BATCH') === 'on' ? 0 : int(v('MICRO_BATCH_MIN_RUN_MS'), 5),
          },
    // a valid line holds at most MAX_TEXT_CHARS of input, each character escaped at
    // worst as \uXXXX (6), plus a custom_id; 64 Ki characters leaves room for that
    maxLineChars: int(v('MAX_LINE_CHARS'), 65_536),
    itemsPerMinute: int(v('ITEMS_PER_MINUTE'), 300_000),
    tokensPerMinute: int(v('TOKENS_PER_MINUTE'), 3_000_000),
    storageQuotaBytes: int(v('STORAGE_QUOTA_MB'), 1024) * (1 << 20),
    usageRetryBaseS: int(v('USAGE_RETRY_BASE_S'), 5),
    abandonedUploadMs: int(v('ABANDONED_UPLOAD_HOURS'), 24) * 3600_000,
    fileRetentionMs: int(v('FILE_RETENTION_DAYS'), 30) * 86_400_000,
    outboxGraceMs: int(v('OUTBOX_GRACE_S'), 300) * 1000,
  };
  parsed.set(env, result);
  return result;
}

// @chimera/client: a typed client for the Chimera API.
export type { Batch, BatchErrorLine, BatchResultLine, WaitOptions } from './batches.ts';
export { type Chimera, type ChimeraOptions, createChimera, IDEMPOTENT_CREATES, ok } from './client.ts';
export { ChimeraError, PROBLEM_BASE, type Problem, type ProblemType } from './errors.ts';
export { jsonLines, toJsonLines } from './lines.ts';
export type { CommittedVersion, FileSource, Manifest, PackageSource, PublishOptions, PublishProgress } from './publish.ts';
export { type RetryOptions, retryingFetch } from './retry.ts';
export type { components, operations, paths, webhooks } from './schema.ts';
export { verifyWebhook, verifyWebhookRequest, type WebhookEvent, WebhookVerificationError } from './webhooks.ts';

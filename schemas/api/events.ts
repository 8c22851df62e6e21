// The bodies of the webhooks Chimera sends: { type, timestamp, data }, signed per
// Standard Webhooks. A batch event carries the batch, a merge event the merge job.
import { z } from '@hono/zod-openapi';
import { Batch } from './batches.ts';
import { Timestamp } from './common.ts';
import { MergeJob } from './merges.ts';

export const BatchEvent = z
  .object({
    type: z.enum(['batch.completed', 'batch.failed', 'batch.cancelled', 'batch.expired']),
    timestamp: Timestamp,
    data: z.object({ batch: Batch }),
  })
  .openapi('BatchEvent', { description: 'a batch ended' });

export const MergeEvent = z
  .object({
    type: z.enum(['merge.completed', 'merge.failed']),
    timestamp: Timestamp,
    data: z.object({ merge: MergeJob }),
  })
  .openapi('MergeEvent', { description: 'a merge ended' });

export const WebhookEvent = z.union([BatchEvent, MergeEvent]).openapi('WebhookEvent', { description: 'any event Chimera sends' });
export type WebhookEvent = z.infer<typeof WebhookEvent>;

// What the chimera-jobs queue carries: one merge, one chunk of a batch, reading a batch's
// input file, or one webhook delivery attempt. Domain code sends them after its rows are
// written; functions/jobs consumes. Usage events have their own queue (usage/record.ts).
export type JobMessage =
  | { kind: 'merge'; id: string }
  | { kind: 'batch'; id: string; chunk: number }
  | { kind: 'batch-input'; id: string }
  /** `attempt`: the delivery's attempt count this message is for; a message for any
   * other count is stale (another message took that attempt), so one chain runs */
  | { kind: 'webhook'; id: string; attempt: number };

export async function enqueue(env: Env, job: JobMessage, delaySeconds?: number): Promise<void> {
  await env.JOBS.send(job, delaySeconds === undefined ? undefined : { delaySeconds });
}

/** Many messages, in the queue's batches of at most 100. */
export async function enqueueAll(env: Env, jobs: JobMessage[]): Promise<void> {
  for (let i = 0; i < jobs.length; i += 100) await env.JOBS.sendBatch(jobs.slice(i, i + 100).map((body) => ({ body })));
}

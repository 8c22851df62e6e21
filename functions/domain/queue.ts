// What the chimera-jobs queue carries: one merge, one chunk of a batch, or one webhook
// delivery. Domain code sends them after its rows are written; functions/jobs consumes.
export type JobMessage = { kind: 'merge'; id: string } | { kind: 'batch'; id: string; chunk: number } | { kind: 'webhook'; id: string };

export async function enqueue(env: Env, job: JobMessage, delaySeconds?: number): Promise<void> {
  await env.JOBS.send(job, delaySeconds === undefined ? undefined : { delaySeconds });
}

/** Many messages, in the queue's batches of at most 100. */
export async function enqueueAll(env: Env, jobs: JobMessage[]): Promise<void> {
  for (let i = 0; i < jobs.length; i += 100) await env.JOBS.sendBatch(jobs.slice(i, i + 100).map((body) => ({ body })));
}

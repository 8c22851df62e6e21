// What the chimera-jobs queue carries: one merge, one chunk of a batch, or one webhook delivery.
export type JobMessage = { kind: 'merge'; id: string } | { kind: 'batch'; id: string; chunk: number } | { kind: 'webhook'; id: string };

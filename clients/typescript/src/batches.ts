// Batches: waiting for one to end, and reading its result and error files line by line.
import type { Client } from 'openapi-fetch';
import { errorOf } from './errors.ts';
import { jsonLines } from './lines.ts';
import { defaultSleep } from './retry.ts';
import type { components, paths } from './schema.ts';

export type Batch = components['schemas']['Batch'];
export type BatchResultLine = components['schemas']['BatchResultLine'];
export type BatchErrorLine = components['schemas']['BatchErrorLine'];

const ENDED: ReadonlySet<Batch['status']> = new Set(['completed', 'failed', 'cancelled', 'expired']);

export interface WaitOptions {
  /** first pause between polls (default 500 ms); it grows by half each time, to at most 5 s */
  intervalMs?: number;
  /** give up after this long (default: never) */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** each poll's answer */
  onPoll?: (batch: Batch) => void;
}

export async function waitForBatch(api: Client<paths>, id: string, options: WaitOptions = {}): Promise<Batch> {
  const until = options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeoutMs;
  let pause = options.intervalMs ?? 500;
  for (;;) {
    const r = await api.GET('/v1/batches/{id}', { params: { path: { id } }, signal: options.signal });
    if (!r.data) throw await errorOf(r.response, r.error);
    options.onPoll?.(r.data);
    if (ENDED.has(r.data.status)) return r.data;
    if (Date.now() + pause > until) throw new Error(`batch ${id} is still ${r.data.status} after ${options.timeoutMs} ms`);
    await defaultSleep(pause, options.signal);
    pause = Math.min(5_000, pause * 1.5);
  }
}

/** The lines of a batch's results or errors file, parsed as they stream in. */
export async function* batchLines<T>(api: Client<paths>, id: string, which: 'results' | 'errors', signal?: AbortSignal): AsyncGenerator<T> {
  const r =
    which === 'results'
      ? await api.GET('/v1/batches/{id}/results', { params: { path: { id } }, parseAs: 'stream', signal })
      : await api.GET('/v1/batches/{id}/errors', { params: { path: { id } }, parseAs: 'stream', signal });
  if (!r.response.ok || !r.data) throw await errorOf(r.response, r.error);
  yield* jsonLines<T>(r.data as ReadableStream<Uint8Array>);
}

export const isEnded = (batch: Batch) => ENDED.has(batch.status);

// Retries with exponential backoff and full jitter: on 429 and 503 (the server did not act
// on the request) honouring Retry-After, and on network errors where resending is safe
// (methods that are idempotent, and requests carrying an Idempotency-Key).
import { retryAfterSeconds } from './errors.ts';

export interface RetryOptions {
  /** attempts after the first (default 3; 0 turns retries off) */
  retries?: number;
  /** first backoff step (default 500 ms); each later one doubles, up to maxDelayMs */
  baseDelayMs?: number;
  /** longest backoff (default 20 s) */
  maxDelayMs?: number;
  /** a Retry-After longer than this is not waited for: the error goes to the caller (default 60 s) */
  maxRetryAfterMs?: number;
  /** statuses to retry (default 429, 503) */
  statuses?: readonly number[];
  /** how to wait; tests and schedulers may supply their own */
  sleep?: (ms: number, signal?: AbortSignal | null) => Promise<void>;
  /** called before each retry */
  onRetry?: (info: { attempt: number; delayMs: number; status?: number; error?: unknown; request: Request }) => void;
}

type Fetch = (request: Request) => Promise<Response>;

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export const defaultSleep = (ms: number, signal?: AbortSignal | null) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/** The wait before retry number `attempt` (1-based): Retry-After when given, else backoff with full jitter. */
export function retryDelay(attempt: number, retryAfter: number | undefined, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 20_000;
  const backoff = Math.random() * Math.min(cap, base * 2 ** (attempt - 1));
  // a little jitter on top of Retry-After too, so clients told the same time do not all return at once
  return retryAfter !== undefined ? retryAfter * 1000 + Math.random() * Math.min(base, 1000) : backoff;
}

export function retryingFetch(fetch: Fetch, options: RetryOptions = {}): Fetch {
  const retries = options.retries ?? 3;
  const statuses = new Set(options.statuses ?? [429, 503]);
  const sleep = options.sleep ?? defaultSleep;
  return async (request) => {
    const resendable = IDEMPOTENT.has(request.method) || request.headers.has('idempotency-key');
    for (let attempt = 1; ; attempt++) {
      const last = attempt > retries;
      // each attempt sends a copy, so the original can be sent again
      const sent = last ? request : (request.clone() as Request);
      let response: Response;
      try {
        response = await fetch(sent);
      } catch (error) {
        if (last || !resendable || request.signal?.aborted) throw error;
        const delayMs = retryDelay(attempt, undefined, options);
        options.onRetry?.({ attempt, delayMs, error, request });
        await sleep(delayMs, request.signal);
        continue;
      }
      if (last || !statuses.has(response.status)) return response;
      const retryAfter = retryAfterSeconds(response.headers.get('retry-after'));
      if (retryAfter !== undefined && retryAfter * 1000 > (options.maxRetryAfterMs ?? 60_000)) return response;
      const delayMs = retryDelay(attempt, retryAfter, options);
      options.onRetry?.({ attempt, delayMs, status: response.status, request });
      await response.body?.cancel();
      await sleep(delayMs, request.signal);
    }
  };
}

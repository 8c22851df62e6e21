// createChimera: the generated, typed client (openapi-fetch over the types openapi-typescript
// made from the API's own document) with what a generator cannot do: the key on every
// request, retries, an Idempotency-Key on creates, typed problem errors, publishing a
// package, waiting for a batch and reading its lines, verifying webhooks. Only fetch and
// web streams are used, so it runs in Node, browsers and Workers.
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { type Batch, type BatchErrorLine, type BatchResultLine, batchLines, type WaitOptions, waitForBatch } from './batches.ts';
import { errorOf } from './errors.ts';
import { type PackageSource, type PublishOptions, publish } from './publish.ts';
import { type RetryOptions, retryingFetch } from './retry.ts';
import type { components, paths } from './schema.ts';
import { verifyWebhook } from './webhooks.ts';

export interface ChimeraOptions {
  /** e.g. http://127.0.0.1:8787 (npm start) or your deployment */
  baseUrl: string;
  /** an API key (chm_…); the admin token for /v1/admin */
  apiKey?: string;
  /** the fetch to send requests with (default globalThis.fetch); a Worker may pass a service binding's */
  fetch?: (request: Request) => Promise<Response>;
  /** retries on 429/503 and safe network errors (default 3 with backoff and jitter); false turns them off */
  retry?: RetryOptions | false;
  /** makes Idempotency-Key values (default crypto.randomUUID) */
  idempotencyKey?: () => string;
  /** sent with every request */
  headers?: Record<string, string>;
}

/** The creates whose Idempotency-Key the server honours (those the document gives the header). */
export const IDEMPOTENT_CREATES: ReadonlySet<string> = new Set(['/v1/batches']);

type Schemas = components['schemas'];
type ApiResult<D> = { data?: D; error?: unknown; response: Response };

/** The data of a response, or its problem thrown as a ChimeraError. */
export async function ok<D>(call: Promise<ApiResult<D>>): Promise<NonNullable<D>> {
  const r = await call;
  if (r.error !== undefined || !r.response.ok || r.data === undefined) throw await errorOf(r.response, r.error);
  return r.data as NonNullable<D>;
}

export function createChimera(options: ChimeraOptions) {
  const base = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const fetch = options.retry === false ? base : retryingFetch(base, options.retry);
  const headers = { ...options.headers, ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) };
  const newKey = options.idempotencyKey ?? (() => crypto.randomUUID());

  // set before the first attempt, so every retry of a create carries the same key
  const idempotency: Middleware = {
    onRequest({ request, schemaPath }) {
      if (request.method === 'POST' && IDEMPOTENT_CREATES.has(schemaPath) && !request.headers.has('idempotency-key')) {
        request.headers.set('idempotency-key', newKey());
      }
      return request;
    },
  };
  const api: Client<paths> = createClient<paths>({ baseUrl: options.baseUrl, fetch, headers });
  api.use(idempotency);
  const once: Client<paths> = createClient<paths>({ baseUrl: options.baseUrl, fetch: base, headers });

  return {
    /** the typed client for every operation: api.GET('/v1/models'), api.POST('/v1/merges', { body }) … */
    api,
    ok,

    /** POST /v1/models/{model}/infer. `cacheMaxAge` (seconds) opts in to the response
     * cache: with a pinned `version`, an identical earlier answer up to that old is returned */
    infer: (model: string, body: Schemas['InferRequest'], init: { routingKey?: string; cacheMaxAge?: number; signal?: AbortSignal } = {}) =>
      ok(
        api.POST('/v1/models/{model}/infer', {
          params: {
            path: { model },
            header: {
              ...(init.routingKey ? { 'x-chimera-routing-key': init.routingKey } : {}),
              ...(init.cacheMaxAge ? { 'cache-control': `max-age=${Math.floor(init.cacheMaxAge)}` } : {}),
            },
          },
          body,
          signal: init.signal,
        }),
      ),

    /** Uploads a package (versions → files → commit) and returns the committed version. */
    publish: (model: string, pkg: PackageSource, publishOptions?: PublishOptions) =>
      publish({ api, once, retry: options.retry }, model, pkg, publishOptions),

    files: {
      /** POST /v1/files: a JSONL input file (see toJsonLines) */
      create: (body: string | Blob | Uint8Array | ReadableStream<Uint8Array>, init: { signal?: AbortSignal } = {}) =>
        ok(
          (body instanceof ReadableStream ? once : api).POST('/v1/files', {
            body,
            bodySerializer: (b: unknown) => b,
            headers: { 'content-type': 'application/x-ndjson' },
            signal: init.signal,
            ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
          } as never) as Promise<ApiResult<Schemas['File']>>,
        ),
    },

    batches: {
      /** POST /v1/batches, with an Idempotency-Key (yours, or a fresh one reused by every retry) */
      create: (body: Schemas['CreateBatch'], init: { idempotencyKey?: string; signal?: AbortSignal } = {}) =>
        ok(
          api.POST('/v1/batches', {
            body,
            params: { header: init.idempotencyKey ? { 'idempotency-key': init.idempotencyKey } : {} },
            signal: init.signal,
          }),
        ),
      get: (id: string) => ok(api.GET('/v1/batches/{id}', { params: { path: { id } } })),
      cancel: (id: string) => ok(api.POST('/v1/batches/{id}/cancel', { params: { path: { id } } })),
      /** Polls until the batch ends (completed, failed, cancelled or expired). */
      wait: (id: string, waitOptions?: WaitOptions): Promise<Batch> => waitForBatch(api, id, waitOptions),
      /** Result lines, one per input that ran, in input order, parsed as they stream in. */
      results: (id: string, signal?: AbortSignal) => batchLines<BatchResultLine>(api, id, 'results', signal),
      /** Error lines: malformed input lines, then inputs that failed. */
      errors: (id: string, signal?: AbortSignal) => batchLines<BatchErrorLine>(api, id, 'errors', signal),
    },

    webhooks: {
      /** The tenant's signing secrets: pass both to verify during a rotation. */
      secrets: () => ok(api.GET('/v1/webhooks/secret')),
      verify: verifyWebhook,
    },
  };
}

export type Chimera = ReturnType<typeof createChimera>;

// @chimera/client/browser: the same models on the user's own device. A BrowserRunner asks
// the API for a version's package (GET /v1/models/{model}/package: the manifest and
// short-lived signed URLs), and a Web Worker loads it into onnxruntime-web, on WebGPU when
// the device has an adapter, WASM otherwise. Files are kept in Cache Storage by sha256 and
// checked against it; tokenization and task heads are the edge's own code, so answers
// match the edge's. Runs are reported to POST /v1/usage/client-runs, kept apart from
// metered usage.
import type { Chimera } from '../client.ts';
import type { components } from '../schema.ts';
import type { Loaded, ModelPackage, Ran, RuntimeSource, RuntimeWasm, TaskResult, WorkerRequest, WorkerResponse } from './protocol.ts';
import { RunReporter } from './report.ts';

export type { ModelPackage, RuntimeWasm, TaskResult };

type InferInput = components['schemas']['InferRequest']['inputs'][number];

export interface BrowserRunnerOptions {
  /** the client the packages are asked with (its key decides what may be loaded) */
  chimera: Chimera;
  /** where ORT's WebAssembly comes from: a runtime manifest URL (the console serves
   * /console/ort/runtime.json), ORT's own lookup under `wasmPaths`, or (default) ORT's
   * lookup beside its bundle */
  runtime?: { manifestUrl: string } | { wasmPaths: string };
  /** use WebGPU when the device has an adapter (default true); per call too */
  webgpu?: boolean;
  /** Cache Storage name for package files (default chimera-packages-v1) */
  cacheName?: string;
  /** starts the Web Worker; the default works with bundlers that follow
   * `new Worker(new URL(…, import.meta.url))` (Vite, webpack 5, Parcel, Rollup plugins) */
  createWorker?: () => Worker;
  /** report runs to /v1/usage/client-runs (default true), batched every `flushMs` (2000) */
  report?: boolean | { flushMs?: number };
  onReportError?: (error: unknown) => void;
}

export interface Want {
  version?: number;
  alias?: string;
  /** sticky canary routing, as x-chimera-routing-key does at the edge */
  routingKey?: string;
  /** overrides the runner's `webgpu` for this call */
  webgpu?: boolean;
}

/** What a browser run answers: the edge's InferResponse, with the browser's backend. */
export interface BrowserInferResponse {
  model: string;
  version: number;
  alias: string | null;
  backend: 'webgpu' | 'wasm';
  results: Record<string, TaskResult>[];
  usage: { items: number; input_tokens: number };
  timing: { total_ms: number; tokenize_ms: number; run_ms: number; load_ms: number | null };
  /** package files read from the browser's cache and fetched, when this call loaded the model */
  cache?: Loaded['cache'];
}

/** How long an alias's choice is reused before the API is asked again. */
const RESOLVE_MS = 60_000;

export function createBrowserRunner(options: BrowserRunnerOptions) {
  const { chimera } = options;
  const worker = options.createWorker?.() ?? new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'chimera' });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
    const reply = event.data;
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiter?.resolve(reply.value);
    else waiter?.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
  };
  worker.onerror = (e) => {
    for (const w of pending.values()) w.reject(new Error(`the runner's worker failed: ${e.message}`));
    pending.clear();
  };
  type Msg = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;
  const ask = <T>(msg: Msg) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ ...msg, id });
    });

  const booted = (async () => {
    let runtime: RuntimeSource = {};
    if (options.runtime && 'manifestUrl' in options.runtime) {
      const manifestUrl = new URL(options.runtime.manifestUrl, location.href);
      const res = await fetch(manifestUrl);
      if (!res.ok) throw new Error(`the runtime manifest ${manifestUrl} answered ${res.status}`);
      const wasm = (await res.json()) as RuntimeWasm;
      // part URLs are relative to the manifest
      runtime = {
        wasm: { ...wasm, parts: wasm.parts.map((p) => new URL(p, manifestUrl).href) },
      };
    } else if (options.runtime) runtime = options.runtime;
    await ask({ type: 'boot', runtime, cacheName: options.cacheName ?? 'chimera-packages-v1' });
  })();

  const reporter =
    options.report === false
      ? undefined
      : new RunReporter(chimera, options.report === true ? {} : (options.report ?? {}), options.onReportError);
  const resolved = new Map<string, { pkg: Promise<ModelPackage>; until: number }>();

  /** The package the API would answer this request with (an alias's pick kept a minute). */
  function packageFor(model: string, want: Want): Promise<ModelPackage> {
    const id = `${model}|${want.version ?? ''}|${want.alias ?? ''}|${want.routingKey ?? ''}`;
    const hit = resolved.get(id);
    if (hit && hit.until > Date.now()) return hit.pkg;
    const pkg = chimera.ok(
      chimera.api.GET('/v1/models/{model}/package', {
        params: {
          path: { model },
          query: { ...(want.version ? { version: want.version } : {}), ...(want.alias ? { alias: want.alias } : {}) },
          header: want.routingKey ? { 'x-chimera-routing-key': want.routingKey } : {},
        },
      }),
    ) as Promise<ModelPackage>;
    resolved.set(id, { pkg, until: Date.now() + RESOLVE_MS });
    pkg.catch(() => resolved.delete(id));
    return pkg;
  }

  async function load(model: string, want: Want = {}) {
    await booted;
    const pkg = await packageFor(model, want);
    const webgpu = want.webgpu ?? options.webgpu ?? true;
    const key = `${pkg.model}@${pkg.version}/${webgpu ? 'webgpu' : 'wasm'}`;
    const loaded = await ask<Loaded>({ type: 'load', key, pkg, webgpu });
    return { key, pkg, loaded };
  }

  return {
    /** The adapter WebGPU would run on (vendor / architecture / description), or null. */
    adapter: () => ask<string | null>({ type: 'adapter' }),

    /** Loads a version into the worker (downloading only files not cached yet). */
    load: async (model: string, want: Want = {}) => {
      const { pkg, loaded } = await load(model, want);
      return {
        model: pkg.model,
        version: pkg.version,
        alias: pkg.alias,
        backend: loaded.backend,
        load_ms: loaded.loadMs,
        cache: loaded.cache,
      };
    },

    /** Runs inputs as POST /v1/models/{model}/infer would, on this device. */
    infer: async (model: string, body: { inputs: InferInput[]; tasks?: string[]; version?: number; alias?: string }, want: Want = {}) => {
      const started = performance.now();
      const { key, pkg, loaded } = await load(model, { ...want, version: body.version ?? want.version, alias: body.alias ?? want.alias });
      const known = Object.keys(pkg.manifest.tasks);
      const unknown = (body.tasks ?? []).filter((t) => !known.includes(t));
      if (unknown.length) throw new Error(`model "${model}" v${pkg.version} has no task ${unknown.join(', ')}; it has ${known.join(', ')}`);
      const tasks = [...new Set(body.tasks ?? known)];
      const ran = await ask<Ran>({ type: 'infer', key, inputs: body.inputs, tasks });
      const total = performance.now() - started;
      reporter?.add({
        model: pkg.model,
        version: pkg.version,
        tasks,
        items: body.inputs.length,
        input_tokens: ran.inputTokens,
        latency_ms: total,
        backend: ran.backend,
      });
      const out: BrowserInferResponse = {
        model: pkg.model,
        version: pkg.version,
        alias: pkg.alias,
        backend: ran.backend,
        results: ran.results,
        usage: { items: body.inputs.length, input_tokens: ran.inputTokens },
        timing: { total_ms: total, tokenize_ms: ran.tokenizeMs, run_ms: ran.runMs, load_ms: loaded.loadMs > 0 ? loaded.loadMs : null },
        ...(loaded.loadMs > 0 ? { cache: loaded.cache } : {}),
      };
      return out;
    },

    /** Sends the runs not yet reported. */
    flush: () => reporter?.flush() ?? Promise.resolve(),

    /** Frees a loaded version's session. */
    unload: (model: string, version: number, webgpu = options.webgpu ?? true) =>
      ask<void>({ type: 'unload', key: `${model}@${version}/${webgpu ? 'webgpu' : 'wasm'}` }),

    /** Reports what is pending and stops the worker. */
    dispose: async () => {
      await reporter?.flush().catch(() => undefined);
      reporter?.stop();
      worker.terminate();
    },
  };
}

export type BrowserRunner = ReturnType<typeof createBrowserRunner>;

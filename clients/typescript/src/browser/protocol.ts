// Messages between the page (BrowserRunner) and its Web Worker. Only structured-cloneable
// data crosses: manifests, URLs, texts and results.
import type { TaskResult } from '../../../../models/tasks.ts';
import type { components } from '../schema.ts';

export type ModelPackage = components['schemas']['ModelPackage'];
export type { TaskResult };

/** ORT's WebAssembly binary, as the console's static assets hold it: in parts (a static
 * asset may be at most 25 MiB), checked against its sha256 once joined. */
export interface RuntimeWasm {
  sha256: string;
  bytes: number;
  /** URLs of the parts, in order */
  parts: string[];
}

/** Where the worker gets ORT's WebAssembly: a runtime manifest, or ORT's own lookup under wasmPaths. */
export type RuntimeSource = { wasm: RuntimeWasm } | { wasmPaths: string } | Record<string, never>;

export interface CacheStats {
  /** files read from Cache Storage */
  hits: number;
  /** files fetched (and then cached) */
  misses: number;
}

export type WorkerRequest =
  | { id: number; type: 'boot'; runtime: RuntimeSource; cacheName: string }
  | { id: number; type: 'adapter' }
  | { id: number; type: 'load'; key: string; pkg: ModelPackage; webgpu: boolean }
  | { id: number; type: 'infer'; key: string; inputs: unknown[]; tasks: string[] }
  | { id: number; type: 'unload'; key: string };

export interface Loaded {
  backend: 'webgpu' | 'wasm';
  loadMs: number;
  cache: CacheStats;
}

export interface Ran {
  backend: 'webgpu' | 'wasm';
  results: Record<string, TaskResult>[];
  inputTokens: number;
  tokenizeMs: number;
  runMs: number;
}

export type WorkerResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { name: string; message: string } };

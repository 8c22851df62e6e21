// Worker entry. wrangler turns the .wasm import into a compiled WebAssembly.Module,
// which is the only way workerd lets ORT's WASM in (it refuses to compile bytes).
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm';
import { configureBackend } from '../models/backend.ts';
import { createApp } from './app.ts';
import { handleJobs } from './jobs/index.ts';
import type { JobMessage } from './jobs/messages.ts';

configureBackend({ wasmModule: ortWasm });
const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleJobs,
} satisfies ExportedHandler<Env, JobMessage>;

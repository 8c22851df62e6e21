// Worker entry: HTTP requests go to the Hono app (functions/http), queue messages and
// Cron Triggers to functions/jobs. wrangler turns the .wasm import into a compiled
// WebAssembly.Module, which is the only way workerd lets ORT's WASM in (it refuses to
// compile bytes).
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm';
import { configureBackend } from '../models/backend.ts';
import { createApp } from './http/app.ts';
import { runCron } from './jobs/cron.ts';
import { handleQueue } from './jobs/index.ts';

configureBackend({ wasmModule: ortWasm });
const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleQueue,
  scheduled: runCron,
} satisfies ExportedHandler<Env, unknown>;

// Worker entry: HTTP requests go to the Hono app (functions/http), queue messages and
// Cron Triggers to functions/jobs. wrangler turns the .wasm import into a compiled
// WebAssembly.Module, which is the only way workerd lets ORT's WASM in (it refuses to
// compile bytes).
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm';
import { configureBackend, warmUp } from '../models/backend.ts';
import { warmUpModel } from '../models/warm-up.ts';
import { createApp } from './http/app.ts';
import { runCron } from './jobs/cron.ts';
import { handleQueue } from './jobs/index.ts';

configureBackend({ wasmModule: ortWasm });
const app = createApp();

// ORT's runtime starts with the isolate's first event, not with the first model load:
// a cold infer then reads its model from storage while the runtime boots and runs a tiny
// model through the kernels (its graph built at startup, which the platform runs while
// the connection is set up)
const WARM_UP = warmUpModel();
let warming: Promise<void> | undefined;
const warm = (ctx: ExecutionContext) => {
  warming ??= warmUp(WARM_UP).catch((e) => console.error('the model runtime did not start:', e));
  ctx.waitUntil(warming);
};

export default {
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => {
    warm(ctx);
    return app.fetch(request, env, ctx);
  },
  queue: (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => {
    warm(ctx);
    return handleQueue(batch, env);
  },
  scheduled: runCron,
} satisfies ExportedHandler<Env, unknown>;

// The Web Worker of @chimera/client/browser: onnxruntime-web (WebGPU when the device has an
// adapter and the page allows it, WASM otherwise) runs here, off the page's thread, with
// the same tokenizers and task heads as the Worker at the edge (models/runtime.ts).
import { configureBackend } from '../../../../models/backend.ts';
import { infer, type LoadedModel, loadModel } from '../../../../models/runtime.ts';
import type { BlobReader } from '../../../../models/store.ts';
import type { Manifest } from '../../../../schemas/manifest.ts';
import { cachedBytes, fetchBytes } from './cache.ts';
import type { CacheStats, Loaded, ModelPackage, Ran, RuntimeSource, WorkerRequest, WorkerResponse } from './protocol.ts';

let cacheName = 'chimera-packages-v1';
let booted: Promise<void> | undefined;
/** key (model@version/backend) → the loaded model; the page decides the keys */
const models = new Map<string, Promise<LoadedModel>>();

async function boot(runtime: RuntimeSource): Promise<void> {
  if ('wasm' in runtime) {
    const { wasm } = runtime;
    const stats = { hits: 0, misses: 0 };
    const wasmBinary = await cachedBytes(
      cacheName,
      { sha256: wasm.sha256, bytes: wasm.bytes, path: 'onnxruntime WebAssembly' },
      async () => {
        const parts = await Promise.all(wasm.parts.map(fetchBytes));
        const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let at = 0;
        for (const p of parts) {
          joined.set(p, at);
          at += p.length;
        }
        return joined;
      },
      stats,
    );
    configureBackend({ wasmBinary });
  } else {
    configureBackend('wasmPaths' in runtime ? { wasmPaths: runtime.wasmPaths } : {});
  }
}

/** Reads a package's files through the cache, by the signed URLs the package carries. */
function packageReader(pkg: ModelPackage, stats: CacheStats): BlobReader {
  return {
    async get(key) {
      const file = pkg.files.find((f) => key.endsWith(`/${f.sha256}`));
      if (!file) return null;
      const bytes = await cachedBytes(cacheName, file, () => fetchBytes(file.url), stats);
      return { arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer };
    },
  };
}

interface Gpu {
  requestAdapter(): Promise<{ info?: { vendor: string; architecture: string; description: string } } | null>;
}

async function adapter(): Promise<string | null> {
  const gpu = (navigator as Navigator & { gpu?: Gpu }).gpu;
  const found = await gpu?.requestAdapter().catch(() => null);
  if (!found) return null;
  const { vendor = '', architecture = '', description = '' } = found.info ?? {};
  return [vendor, architecture, description].filter(Boolean).join(' / ') || 'WebGPU adapter';
}

async function handle(msg: WorkerRequest): Promise<unknown> {
  switch (msg.type) {
    case 'boot':
      cacheName = msg.cacheName;
      booted ??= boot(msg.runtime);
      booted.catch(() => (booted = undefined));
      return booted;
    case 'adapter':
      return adapter();
    case 'load': {
      if (!booted) throw new Error('the runner has not started its runtime');
      await booted;
      const stats: CacheStats = { hits: 0, misses: 0 };
      const started = performance.now();
      let loading = models.get(msg.key);
      const fresh = !loading;
      loading ??= loadModel(packageReader(msg.pkg, stats), msg.pkg.manifest as Manifest, { allowWebGPU: msg.webgpu });
      models.set(msg.key, loading);
      loading.catch(() => models.delete(msg.key));
      const model = await loading;
      const loaded: Loaded = { backend: model.session.backend, loadMs: fresh ? performance.now() - started : 0, cache: stats };
      return loaded;
    }
    case 'infer': {
      const model = models.get(msg.key);
      if (!model) throw new Error(`${msg.key} is not loaded`);
      const r = await infer(await model, msg.inputs as never, msg.tasks);
      const ran: Ran = { backend: r.backend, results: r.results, inputTokens: r.inputTokens, tokenizeMs: r.tokenizeMs, runMs: r.runMs };
      return ran;
    }
    case 'unload': {
      const model = models.get(msg.key);
      models.delete(msg.key);
      await (await model?.catch(() => undefined))?.release();
      return undefined;
    }
  }
}

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const msg = event.data;
  let reply: WorkerResponse;
  try {
    reply = { id: msg.id, ok: true, value: await handle(msg) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    reply = { id: msg.id, ok: false, error: { name: err.name, message: err.message } };
  }
  self.postMessage(reply);
};

// The console's build: Preact with Vite, into the Worker's static assets (public/console/),
// served under /console/. Run by scripts/assets.ts (npm run build, wrangler's [build], the
// test setup); `npx vite --config console/vite.config.ts` serves it with hot reload, its
// API calls proxied to `npm start` on :8787.
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// onnxruntime-web names its 26 MB WebAssembly with new URL(…, import.meta.url), which Vite
// would copy into the build as one asset: over the 25 MiB a Workers static asset may be.
// The console hands ORT the binary itself (scripts/assets.ts serves it in parts), so the
// reference is made opaque to Vite here and never used.
const ortWasmUnbundled: Plugin = {
  name: 'chimera:ort-wasm-unbundled',
  enforce: 'pre',
  transform(code, id) {
    if (!id.includes('/onnxruntime-web/')) return;
    return code.replace(/new URL\((["'])(ort-wasm-[\w.-]+\.wasm)\1,\s*import\.meta\.url\)/g, 'new URL($1$2$1, self.location.href)');
  },
};

export default defineConfig({
  plugins: [ortWasmUnbundled],
  root,
  base: '/console/',
  publicDir: false,
  logLevel: 'warn',
  clearScreen: false,
  build: {
    outDir: fileURLToPath(new URL('../public/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // everything is served by the Worker: no asset is inlined as a data: URL either
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
  },
  worker: { format: 'es', plugins: () => [ortWasmUnbundled] },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  server: { host: '127.0.0.1', proxy: { '/v1': 'http://127.0.0.1:8787' } },
});

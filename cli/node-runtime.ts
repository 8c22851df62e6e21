// Boots models/backend in Node (the CLI, benchmarks) and serves packages from memory.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { configureBackend } from '../models/backend.ts';
import type { ModelPackage } from '../models/package.ts';
import { type BlobReader, blobKey } from '../models/store.ts';

let booted = false;
export function bootNodeBackend(): void {
  if (booted) return;
  const wasm = createRequire(import.meta.url).resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm');
  configureBackend({ wasmBinary: readFileSync(wasm) });
  booted = true;
}

export function packageStore(pkg: ModelPackage): BlobReader {
  const blobs = new Map(pkg.manifest.files.map((f) => [blobKey(f.sha256), pkg.files[f.path]!]));
  return {
    get: async (key) => {
      const b = blobs.get(key);
      return b ? { arrayBuffer: async () => b.slice().buffer } : null;
    },
  };
}

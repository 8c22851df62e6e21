// globalSetup, in Node: runs the fixture models through onnxruntime-web's WASM build in
// Node and provides the logits, so the workerd tests compare against another runtime.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { TestProject } from 'vitest/node';
import { configureBackend } from '../../models/backend.ts';
import { loadModel } from '../../models/runtime.ts';
import { blobKey } from '../../models/store.ts';
import { fixtures, TEXTS, type Reference } from '../fixtures/reference.ts';

export default async function setup(project: TestProject) {
  const wasm = createRequire(import.meta.url).resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm');
  configureBackend({ wasmBinary: readFileSync(wasm) });
  const reference: Reference = {};
  for (const [name, pkg] of Object.entries(await fixtures())) {
    const blobs = new Map(pkg.manifest.files.map((f) => [blobKey(f.sha256), pkg.files[f.path]!]));
    const store = { get: async (key: string) => { const b = blobs.get(key); return b ? { arrayBuffer: async () => b.slice().buffer } : null; } };
    const model = await loadModel(store, pkg.manifest);
    const encoded = model.encode!(TEXTS);
    const out = await model.session.run(encoded.feeds);
    reference[name] = Object.fromEntries(Object.entries(pkg.manifest.tasks).map(([task, spec]) => {
      const t = out[spec.output]!;
      const width = t.dims[1]!;
      return [task, TEXTS.map((_, i) => Array.from(t.data.subarray(i * width, (i + 1) * width), Number))];
    }));
    await model.release();
  }
  project.provide('reference', reference);
}

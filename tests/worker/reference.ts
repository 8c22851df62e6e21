// globalSetup, in Node: runs the fixture models through onnxruntime-web's WASM build in
// Node and provides the logits, so the workerd tests compare against another runtime.
import type { TestProject } from 'vitest/node';
import { bootNodeBackend, packageStore } from '../../cli/node-runtime.ts';
import { loadModel } from '../../models/runtime.ts';
import { fixtures, type Reference, TEXTS } from '../fixtures/reference.ts';

export default async function setup(project: TestProject) {
  bootNodeBackend();
  const reference: Reference = {};
  for (const [name, pkg] of Object.entries(await fixtures())) {
    const model = await loadModel(packageStore(pkg), pkg.manifest);
    const encoded = model.encode!(TEXTS);
    const out = await model.session.run(encoded.feeds);
    reference[name] = Object.fromEntries(
      Object.entries(pkg.manifest.tasks).map(([task, spec]) => {
        const t = out[spec.output]!;
        const width = t.dims[1]!;
        return [task, TEXTS.map((_, i) => Array.from(t.data.subarray(i * width, (i + 1) * width), Number))];
      }),
    );
    await model.release();
  }
  project.provide('reference', reference);
}

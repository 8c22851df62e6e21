// int8 vs fp32 on the demo multitask model: package size, WASM heap after loading (each
// in a fresh process, since the heap never shrinks), how much of that heap the model
// itself holds, how many copies fit a Worker's 128 MiB, and session.run latency at batch
// 1 and 32. Needs `npm run chimera -- train-demo` first.   node bench/quantize.ts
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bootNodeBackend, packageStore } from '../cli/node-runtime.ts';
import { readPackageDir } from '../cli/package-dir.ts';
import { wasmHeapBytes, wasmHeapHighWater } from '../models/backend.ts';
import { fixturePackage } from '../models/multitask/fixture.ts';
import { internalize } from '../models/onnx/external.ts';
import { decodeModel } from '../models/onnx/model.ts';
import { buildPackage } from '../models/package.ts';
import { loadModel } from '../models/runtime.ts';
import { summarize, timeIt, writeResult } from './lib/stats.ts';

const { values } = parseArgs({ options: { demo: { type: 'string' }, child: { type: 'string' } } });
const demo = values.demo ?? 'artifacts/demo';
const TEXT = 'a gripping , beautifully shot film with a plot that never lets go';

if (values.child) {
  bootNodeBackend();
  let pkg = await readPackageDir(values.child.replace(/:inline$/, ''));
  if (values.child.endsWith(':inline')) {
    // the same fp32 weights stored inside the .onnx, as most exported models are
    const graph = pkg.manifest.files.find((f) => f.role === 'graph')!;
    const { schema: _s, files: _f, ...body } = pkg.manifest;
    pkg = await buildPackage(internalize(decodeModel(pkg.files[graph.path]!), pkg.files), body, { external: false });
  }
  // boot ORT on a tiny model first, so that what it holds for itself (static data, a
  // 5 MiB stack, its runtime) is measured apart from what the model adds
  const tiny = await fixturePackage({ name: 'boot', int8: false, shape: { vocab: 16 } });
  await loadModel(packageStore(tiny), tiny.manifest);
  const runtime = wasmHeapHighWater();
  const model = await loadModel(packageStore(pkg), pkg.manifest);
  const heap = wasmHeapBytes(),
    used = wasmHeapHighWater();
  // copies of this model one isolate holds before its WASM heap passes 128 MiB
  let fits = 1;
  while (wasmHeapBytes() <= 128 * 2 ** 20 && fits < 64) {
    await loadModel(packageStore(pkg), pkg.manifest);
    if (wasmHeapBytes() <= 128 * 2 ** 20) fits++;
    else break;
  }
  const one = model.encode!([TEXT]).feeds,
    many = model.encode!(Array(32).fill(TEXT)).feeds;
  await timeIt(200, () => model.session.run(one));
  const b1 = summarize(await timeIt(1000, () => model.session.run(one)));
  const b32 = summarize(await timeIt(300, () => model.session.run(many)));
  const bytes = pkg.manifest.files.reduce((s, f) => s + f.bytes, 0);
  console.log(JSON.stringify({ bytes, heap, runtime, modelHeap: used - runtime, fits, batch1: b1, batch32: b32 }));
  process.exit(0);
}

const run = (dir: string) =>
  JSON.parse(
    execFileSync(process.execPath, [import.meta.filename, '--child', dir], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!,
  );
const fp32 = run(join(demo, 'multitask'));
const fp32Inline = run(`${join(demo, 'multitask')}:inline`);
const int8 = run(join(demo, 'multitask-int8'));
const mib = (b: number) => +(b / 2 ** 20).toFixed(1);
const row = (r: typeof fp32) => ({
  'package MiB': mib(r.bytes),
  'heap MiB': mib(r.heap),
  'of it ORT MiB': mib(r.runtime),
  'model MiB': mib(r.modelHeap),
  'copies in 128 MiB': r.fits,
  'batch 1 p50 ms': +r.batch1.p50.toFixed(3),
  'batch 32 p50 ms': +r.batch32.p50.toFixed(3),
});
console.table({ 'fp32, weights inside .onnx': row(fp32Inline), 'fp32, external data': row(fp32), 'int8, external data': row(int8) });
const summary = {
  size_ratio: int8.bytes / fp32.bytes,
  heap_ratio_vs_fp32_external: int8.heap / fp32.heap,
  heap_ratio_vs_fp32_inline: int8.heap / fp32Inline.heap,
  // the heap the model itself holds, above what ORT holds for itself in every isolate
  model_heap_ratio_vs_fp32_external: int8.modelHeap / fp32.modelHeap,
  copies_in_128MiB: { int8: int8.fits, fp32: fp32.fits },
  batch1_latency_ratio: int8.batch1.p50 / fp32.batch1.p50,
  batch32_latency_ratio: int8.batch32.p50 / fp32.batch32.p50,
};
console.log(summary);
console.log(`wrote ${writeResult('quantize', { fp32, fp32Inline, int8, summary })}`);

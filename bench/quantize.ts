// int8 vs fp32 on the demo multitask model: package size, WASM heap after loading (each
// in a fresh process, since the heap never shrinks) and session.run latency at batch 1
// and 32. Needs `npm run chimera -- train-demo` first.   node bench/quantize.ts
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readPackageDir } from '../cli/package-dir.ts';
import { bootNodeBackend, packageStore } from '../cli/node-runtime.ts';
import { wasmHeapBytes } from '../models/backend.ts';
import { loadModel } from '../models/runtime.ts';
import { buildPackage } from '../models/package.ts';
import { decodeModel } from '../models/onnx/model.ts';
import { internalize } from '../models/onnx/external.ts';
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
  const model = await loadModel(packageStore(pkg), pkg.manifest);
  const heap = wasmHeapBytes();
  const one = model.encode!([TEXT]).feeds, many = model.encode!(Array(32).fill(TEXT)).feeds;
  await timeIt(200, () => model.session.run(one));
  const b1 = summarize(await timeIt(1000, () => model.session.run(one)));
  const b32 = summarize(await timeIt(300, () => model.session.run(many)));
  const bytes = pkg.manifest.files.reduce((s, f) => s + f.bytes, 0);
  console.log(JSON.stringify({ bytes, heap, batch1: b1, batch32: b32 }));
  process.exit(0);
}

const run = (dir: string) => JSON.parse(execFileSync(process.execPath, [import.meta.filename, '--child', dir], { encoding: 'utf8' }).trim().split('\n').pop()!);
const fp32 = run(join(demo, 'multitask'));
const fp32Inline = run(`${join(demo, 'multitask')}:inline`);
const int8 = run(join(demo, 'multitask-int8'));
const mib = (b: number) => +(b / 2 ** 20).toFixed(1);
console.table({
  'fp32, weights inside .onnx': { 'package MiB': mib(fp32Inline.bytes), 'heap MiB': mib(fp32Inline.heap), 'batch 1 p50 ms': +fp32Inline.batch1.p50.toFixed(3), 'batch 32 p50 ms': +fp32Inline.batch32.p50.toFixed(3) },
  'fp32, external data': { 'package MiB': mib(fp32.bytes), 'heap MiB': mib(fp32.heap), 'batch 1 p50 ms': +fp32.batch1.p50.toFixed(3), 'batch 32 p50 ms': +fp32.batch32.p50.toFixed(3) },
  'int8, external data': { 'package MiB': mib(int8.bytes), 'heap MiB': mib(int8.heap), 'batch 1 p50 ms': +int8.batch1.p50.toFixed(3), 'batch 32 p50 ms': +int8.batch32.p50.toFixed(3) },
});
const summary = {
  size_ratio: int8.bytes / fp32.bytes,
  heap_ratio_vs_fp32_external: int8.heap / fp32.heap,
  heap_ratio_vs_fp32_inline: int8.heap / fp32Inline.heap,
  batch1_latency_ratio: int8.batch1.p50 / fp32.batch1.p50,
  batch32_latency_ratio: int8.batch32.p50 / fp32.batch32.p50,
};
console.log(summary);
console.log(`wrote ${writeResult('quantize', { fp32, fp32Inline, int8, summary })}`);

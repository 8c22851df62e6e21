// Merge benchmark: the six demo experts merged with TIES by the streaming merge (range
// reads, one tensor at a time; and in 1M-element row blocks, as the Worker does) against a plain in-memory version (every model decoded
// whole, then merged tensor by tensor with Float32Arrays), each in its own process so
// peak RSS is its own. Needs `npm run chimera -- train-demo` first.
//   node bench/merge.ts [--demo artifacts/demo] [--method ties] [--runs 3]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mergeCommand } from '../cli/commands/merge.ts';
import { TASK_NAMES } from '../cli/senteval.ts';
import { type MergeMethod, type MergeParams, mergeTensor } from '../models/merge/methods.ts';
import { internalize } from '../models/onnx/external.ts';
import { DataType, decodeModel } from '../models/onnx/model.ts';
import { floatsOf } from '../models/onnx/tensor.ts';
import { methodSpec, parameterDefaults } from '../schemas/merge-methods.ts';
import { summarize, writeResult } from './lib/stats.ts';

const { values } = parseArgs({
  options: { demo: { type: 'string' }, method: { type: 'string' }, runs: { type: 'string' }, child: { type: 'string' } },
});
const demo = values.demo ?? 'artifacts/demo';
const method = (values.method ?? 'ties') as MergeMethod;
if (methodSpec(method).learns)
  throw new Error(`${method} learns its weights on unlabelled texts first: this benchmark times the merge alone`);
// the parameters this method takes (average and task_arithmetic refuse a density)
const params = parameterDefaults(method);
if (methodSpec(method).takes.includes('density')) params.density = 0.5;
const mergeParams: MergeParams = Object.fromEntries(Object.entries(params).filter(([k]) => k !== 'weight'));
const experts = TASK_NAMES.map((t) => join(demo, 'experts', t));

async function inMemory(): Promise<{ seconds: number; elements: number }> {
  const load = (dir: string) => {
    const model = decodeModel(new Uint8Array(readFileSync(join(dir, 'model.onnx'))));
    return internalize(model, { 'model.onnx.data': new Uint8Array(readFileSync(join(dir, 'model.onnx.data'))) });
  };
  const started = performance.now();
  const base = load(join(demo, 'multitask'));
  const models = experts.map(load);
  let elements = 0;
  for (const t of base.graph.initializers) {
    if (t.dataType !== DataType.FLOAT) continue;
    const merged = mergeTensor(
      method,
      floatsOf(t),
      models.map((m) => floatsOf(m.graph.initializers.find((x) => x.name === t.name)!)),
      mergeParams,
      t.name,
    );
    elements += merged.length;
  }
  return { seconds: (performance.now() - started) / 1000, elements };
}

if (values.child) {
  const out =
    values.child === 'memory'
      ? await inMemory()
      : await mergeCommand(
          {
            method,
            base: methodSpec(method).needsBase ? join(demo, 'multitask') : undefined,
            expert: experts,
            ...Object.fromEntries(Object.entries(mergeParams).map(([k, v]) => [k, String(v)])),
            out: join(tmpdir(), 'chimera-bench-merge'),
            chunk: values.child === 'chunked' ? String(1 << 20) : undefined,
          },
          true,
        );
  console.log(JSON.stringify({ seconds: out.seconds, elements: out.elements, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
  process.exit(0);
}

const runs = Number(values.runs ?? 3);
const measure = (mode: string) =>
  Array.from(
    { length: runs },
    () =>
      JSON.parse(
        execFileSync(process.execPath, [import.meta.filename, '--child', mode, '--demo', demo, '--method', method], { encoding: 'utf8' })
          .trim()
          .split('\n')
          .pop()!,
      ) as { seconds: number; elements: number; peakRssBytes: number },
  );
const stream = measure('stream');
const chunked = measure('chunked');
const memory = measure('memory');
const rate = (r: { seconds: number; elements: number }[]) => summarize(r.map((x) => x.elements / x.seconds / 1e6));
const rss = (r: { peakRssBytes: number }[]) => summarize(r.map((x) => x.peakRssBytes / 2 ** 20));
const table = {
  'streaming: M weights/s': rate(stream),
  'streaming, 1M-element blocks: M weights/s': rate(chunked),
  'in-memory: M weights/s': rate(memory),
  'streaming: peak RSS MiB': rss(stream),
  'streaming, 1M-element blocks: peak RSS MiB': rss(chunked),
  'in-memory: peak RSS MiB': rss(memory),
};
console.table(
  Object.fromEntries(
    Object.entries(table).map(([k, v]) => [k, { n: v.n, p50: +v.p50.toFixed(2), min: +v.min.toFixed(2), max: +v.max.toFixed(2) }]),
  ),
);
const summary = {
  method,
  params: mergeParams,
  experts: experts.length,
  weightsPerModel: stream[0]!.elements,
  throughput_ratio_stream_over_memory: table['streaming: M weights/s'].p50 / table['in-memory: M weights/s'].p50,
  peak_rss_ratio_stream_over_memory: table['streaming: peak RSS MiB'].p50 / table['in-memory: peak RSS MiB'].p50,
  peak_rss_ratio_blocks_over_memory: table['streaming, 1M-element blocks: peak RSS MiB'].p50 / table['in-memory: peak RSS MiB'].p50,
  stream_seconds_p50: summarize(stream.map((s) => s.seconds)).p50,
};
console.log(summary);
console.log(`wrote ${writeResult('merge', { table, summary })}`);

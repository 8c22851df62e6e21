// Builds docs/merging.md's tables from a real run: each expert on its own task, the
// multitask model, a bag-of-words baseline, and every merge method at the lambda/density
// that scored best on the holdout cut from train (never dev). Also writes the best TIES
// merge as the int8 demo package. Needs `chimera train-demo` first.
//   node scripts/merging-report.ts [--data DIR] [--demo artifacts/demo]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeResult } from '../bench/lib/stats.ts';
import { evaluate, evaluateRows } from '../cli/commands/eval.ts';
import { readPackageDir, writePackageDir } from '../cli/package-dir.ts';
import { progressBar } from '../cli/progress.ts';
import { DEFAULT_DATA_DIR, readSplit, splitTrain, TASK_NAMES, type TaskName } from '../cli/senteval.ts';
import { sha256Hex } from '../models/hash.ts';
import { carriedHeads } from '../models/merge/heads.ts';
import { METHODS, type MergeMethod, type MergeParams } from '../models/merge/methods.ts';
import { mergeStreaming } from '../models/merge/stream.ts';
import { bytesReader } from '../models/onnx/index.ts';
import type { ModelPackage } from '../models/package.ts';
import { words } from '../models/text/hashed-ngrams.ts';
import { predictLogReg, trainLogReg } from '../models/train/logreg.ts';
import { Manifest } from '../schemas/manifest.ts';

const { values } = parseArgs({ options: { data: { type: 'string' }, demo: { type: 'string' } } });
const dataDir = values.data ?? DEFAULT_DATA_DIR;
const demo = values.demo ?? 'artifacts/demo';
const seed = (JSON.parse(readFileSync(join(demo, 'training.json'), 'utf8')) as { seed: number }).seed;

const multitask = await readPackageDir(join(demo, 'multitask'));
const multitaskInt8 = await readPackageDir(join(demo, 'multitask-int8'));
const experts = await Promise.all(TASK_NAMES.map((t) => readPackageDir(join(demo, 'experts', t))));
const split = splitTrain(dataDir, seed);
const holdout = Object.fromEntries(TASK_NAMES.map((t) => [t, split[t].holdout])) as Record<TaskName, (typeof split)[TaskName]['holdout']>;
const dev = Object.fromEntries(TASK_NAMES.map((t) => [t, readSplit(dataDir, t, 'dev')]));
const mean = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0) / Object.values(r).length;

/** A merge in memory, through the same streaming code the CLI and Worker use. */
async function merge(method: MergeMethod, params: MergeParams, quantize = false): Promise<ModelPackage> {
  const input = (p: ModelPackage) => ({ graph: bytesReader(p.files['model.onnx']!), external: (l: string) => bytesReader(p.files[l]!) });
  const chunks: Uint8Array[] = [];
  const carried = carriedHeads(
    multitask.manifest,
    experts.map((e) => e.manifest),
  );
  const out = await mergeStreaming({
    method,
    params,
    base: input(multitask),
    experts: experts.map(input),
    carried,
    quantize,
    dataLocation: 'model.onnx.data',
    sink: {
      append: async (b) => {
        chunks.push(b.slice());
      },
    },
  });
  const data = new Uint8Array(out.dataBytes);
  let o = 0;
  for (const c of chunks) {
    data.set(c, o);
    o += c.length;
  }
  const files = { 'model.onnx': out.graph, 'model.onnx.data': data };
  const manifest = Manifest.parse({
    ...multitask.manifest,
    name: 'senteval-merged',
    version: `${method}-seed${seed}`,
    quantization: quantize ? 'int8' : 'none',
    files: await Promise.all(
      Object.entries(files).map(async ([path, b]) => ({
        role: path.endsWith('.data') ? 'external-data' : 'graph',
        path,
        sha256: await sha256Hex(b),
        bytes: b.length,
      })),
    ),
    recipe: {
      method,
      parameters: params,
      base: multitask.manifest.name,
      experts: experts.map((e) => e.manifest.name),
      chosenOn: 'holdout (10% of train)',
    },
  });
  return { manifest, files };
}

// 1. reference rows: experts on their own task, the multitask model, the BoW baseline
const expertOwn: Record<string, number> = {};
for (const [i, t] of TASK_NAMES.entries()) expertOwn[t] = (await evaluateRows(experts[i]!, { [t]: dev[t] }, true))[t]!;
const multitaskDev = await evaluate(multitask, dataDir, true);
const multitaskInt8Dev = await evaluate(multitaskInt8, dataDir, true);
const bow: Record<string, number> = {};
for (const t of TASK_NAMES) {
  const train = readSplit(dataDir, t, 'train');
  const model = trainLogReg(
    train.map((r) => words(r.text, true)),
    train.map((r) => r.label),
  );
  bow[t] = dev[t]!.filter((r) => predictLogReg(model, words(r.text, true)) === r.label).length / dev[t]!.length;
}

// 2. every method over a small grid, chosen by mean holdout accuracy
const grid: Record<MergeMethod, MergeParams[]> = {
  average: [{}],
  task_arithmetic: [0.3, 0.5, 1].map((lambda) => ({ lambda })),
  ties: [0.3, 0.5, 1].flatMap((lambda) => [0.2, 0.5].map((density) => ({ lambda, density }))),
  dare_linear: [0.3, 0.5, 1].flatMap((lambda) => [0.2, 0.5].map((density) => ({ lambda, density, seed: 0 }))),
  dare_ties: [0.3, 0.5, 1].flatMap((lambda) => [0.2, 0.5].map((density) => ({ lambda, density, seed: 0 }))),
  breadcrumbs: [0.3, 0.5, 1].flatMap((lambda) => [0.2, 0.5].map((density) => ({ lambda, density, gamma: 0.01 }))),
  breadcrumbs_ties: [0.3, 0.5, 1].flatMap((lambda) => [0.2, 0.5].map((density) => ({ lambda, density, gamma: 0.01 }))),
};
const bar = progressBar('merge grid', Object.values(grid).flat().length);
let done = 0;
const best: Record<string, { params: MergeParams; holdout: number; dev: Record<string, number> }> = {};
for (const method of METHODS) {
  let choice: { params: MergeParams; holdout: number; pkg?: ModelPackage } = { params: {}, holdout: -1 };
  for (const params of grid[method]) {
    const pkg = await merge(method, params);
    const h = mean(await evaluateRows(pkg, holdout, true));
    if (h > choice.holdout) choice = { params, holdout: h, pkg };
    bar.update(++done, { extra: method });
  }
  best[method] = { params: choice.params, holdout: choice.holdout, dev: await evaluate(choice.pkg!, dataDir, true) };
}
bar.stop();

// 3. the demo's merged model: TIES at its best holdout parameters, int8
const demoMerged = await merge('ties', best.ties!.params, true);
writePackageDir(join(demo, 'merged-ties-int8'), demoMerged);
const demoMergedDev = await evaluate(demoMerged, dataDir, true);

// 4. the tables
const pct = (x: number) => (100 * x).toFixed(1);
const row = (name: string, r: Record<string, number>, norm = false) =>
  `| ${name} | ${TASK_NAMES.map((t) => pct(norm ? r[t]! / expertOwn[t]! : r[t]!)).join(' | ')} | ${pct(norm ? mean(Object.fromEntries(TASK_NAMES.map((t) => [t, r[t]! / expertOwn[t]!]))) : mean(r))} |`;
const header = `| model | ${TASK_NAMES.join(' | ')} | mean |\n|---|${TASK_NAMES.map(() => '---:').join('|')}|---:|`;
const describe = (p: MergeParams) =>
  Object.entries(p)
    .filter(([k]) => k !== 'seed')
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || 'equal weights';
const accuracyTable = [
  header,
  row('each expert, on its own task', expertOwn),
  row('multitask (fp32)', multitaskDev),
  row('multitask (int8, served)', multitaskInt8Dev),
  row('bag-of-words logistic regression', bow),
  ...METHODS.map((m) => row(`${m} (${describe(best[m]!.params)})`, best[m]!.dev)),
  row('senteval-merged: ties, int8 (served)', demoMergedDev),
].join('\n');
const normalizedTable = [
  header,
  ...METHODS.map((m) => row(m, best[m]!.dev, true)),
  row('senteval-merged (ties, int8)', demoMergedDev, true),
].join('\n');

const doc = readFileSync('docs/merging.md', 'utf8');
const generated = `<!-- generated by scripts/merging-report.ts: do not edit by hand -->\n\nDev accuracy (%), seed ${seed}:\n\n${accuracyTable}\n\nNormalized accuracy (merged / expert on its own task, %):\n\n${normalizedTable}\n\n<!-- end generated -->`;
writeFileSync('docs/merging.md', doc.replace(/<!-- generated by[\s\S]*<!-- end generated -->/, generated));
console.log(generated);
console.log(
  `wrote docs/merging.md and ${writeResult('merging', { seed, expertOwn, multitaskDev, multitaskInt8Dev, bow, best, demoMergedDev })}`,
);

// Builds docs/merging.md's tables and chart from a real run. Every choice is made on the
// holdout cut from train, with the models train-demo trained on the rest of train
// (artifacts/demo/selection): each merge method's parameters, AdaMerging's granularity,
// the TF-IDF baseline's L2. Then dev is read, once, for the final models and the chosen
// settings. Also writes the served int8 TIES merge. Needs `chimera train-demo` first.
//   node scripts/merging-report.ts [--data DIR] [--demo artifacts/demo]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeResult } from '../bench/lib/stats.ts';
import { evaluateRows } from '../cli/commands/eval.ts';
import { cutAgainstDev, type RowsByTask, selectionSplits } from '../cli/demo-data.ts';
import { readPackageDir, writePackageDir } from '../cli/package-dir.ts';
import { progressBar } from '../cli/progress.ts';
import { DEFAULT_DATA_DIR, readSplitFile, TASK_NAMES } from '../cli/senteval.ts';
import { METHODS, type MergeMethod, type MergeParams } from '../models/merge/methods.ts';
import { tokenizeUnlabelled } from '../models/merge/unlabelled.ts';
import { methodSpec } from '../schemas/merge-methods.ts';
import { GRID as grid } from './report/grid.ts';
import { type DemoModels, mergeDemo } from './report/merge.ts';
import { renderReport, writeReport } from './report/render.ts';
import { tfidfBaseline } from './report/tfidf.ts';

const { values } = parseArgs({ options: { data: { type: 'string' }, demo: { type: 'string' } } });
const dataDir = values.data ?? DEFAULT_DATA_DIR;
const demo = values.demo ?? 'artifacts/demo';
const seed = (JSON.parse(readFileSync(join(demo, 'training.json'), 'utf8')) as { seed: number }).seed;
type Scores = Record<string, number>;
const mean = (r: Scores) => TASK_NAMES.reduce((s, t) => s + r[t]!, 0) / TASK_NAMES.length;

// the rows train-demo trained and chose on (the same cuts, from the same seed)
const trainFiles = await Promise.all(TASK_NAMES.map((t) => readSplitFile(dataDir, t, 'train')));
const devFiles = await Promise.all(TASK_NAMES.map((t) => readSplitFile(dataDir, t, 'dev')));
const { rows } = cutAgainstDev(trainFiles, devFiles);
const split = { all: rows, ...selectionSplits(rows, seed) };
const load = async (dir: string): Promise<DemoModels> => ({
  multitask: await readPackageDir(join(dir, 'multitask')),
  experts: await Promise.all(TASK_NAMES.map((t) => readPackageDir(join(dir, 'experts', t)))),
});
const final = await load(demo);
const selection = await load(join(demo, 'selection'));
const multitaskInt8 = await readPackageDir(join(demo, 'multitask-int8'));
// AdaMerging's unlabelled texts: the holdout's, each with its task, never its label
const unlabelled = tokenizeUnlabelled(
  final.multitask.manifest,
  TASK_NAMES.flatMap((task) => split.holdout[task].map((r) => ({ text: r.text, task }))),
);
const UNLABELLED_SOURCE = 'the holdout texts (10% of each task’s train split), labels not read';

// 1. choices on the holdout
const holdoutOf = (pkg: Parameters<typeof evaluateRows>[0]) => evaluateRows(pkg, split.holdout, true);
const bar = progressBar('merge grid (holdout)', Object.values(grid).flat().length);
let done = 0;
const chosen = {} as Record<MergeMethod, { params: MergeParams; holdout: Scores; tried: number }>;
for (const method of METHODS) {
  for (const params of grid[method]) {
    const { pkg } = await mergeDemo(selection, method, params, {
      version: 'selection',
      unlabelled: methodSpec(method).learns && unlabelled,
    });
    const h = await holdoutOf(pkg);
    if (!chosen[method] || mean(h) > mean(chosen[method].holdout)) chosen[method] = { params, holdout: h, tried: grid[method].length };
    bar.update(++done, { extra: method });
  }
}
bar.stop();
const selectionHoldout = {
  multitask: await holdoutOf(selection.multitask),
  expertOwn: Object.fromEntries(
    await Promise.all(
      TASK_NAMES.map(async (t, i) => [t, (await evaluateRows(selection.experts[i]!, { [t]: split.holdout[t] }, true))[t]!]),
    ),
  ) as Scores,
};

// 2. the final models with those choices, and dev, read once
const dev = Object.fromEntries(devFiles.map((f) => [f.task, f.rows])) as RowsByTask;
const tfidf = tfidfBaseline(split, dev); // its L2 chosen on the holdout first
const devOf = (pkg: Parameters<typeof evaluateRows>[0]) => evaluateRows(pkg, dev, true);
const expertOwn: Scores = {};
for (const [i, t] of TASK_NAMES.entries()) expertOwn[t] = (await evaluateRows(final.experts[i]!, { [t]: dev[t] }, true))[t]!;
const multitaskDev = await devOf(final.multitask);
const multitaskInt8Dev = await devOf(multitaskInt8);
const merged = {} as Record<MergeMethod, { params: MergeParams; holdout: Scores; dev: Scores; adamerging?: unknown }>;
for (const method of METHODS) {
  const c = chosen[method];
  const { pkg, out } = await mergeDemo(final, method, c.params, {
    version: `${method}-seed${seed}`,
    unlabelled: methodSpec(method).learns && unlabelled,
    unlabelledSource: UNLABELLED_SOURCE,
  });
  merged[method] = { params: c.params, holdout: c.holdout, dev: await devOf(pkg), adamerging: out.adamerging };
}
// the served merge: TIES (the demo's method, fixed in advance) at its holdout choice, int8
const served = await mergeDemo(final, 'ties', chosen.ties.params, { quantize: true, version: `ties-seed${seed}` });
writePackageDir(join(demo, 'merged-ties-int8'), served.pkg);
const servedDev = await devOf(served.pkg);

// 3. the document, the chart and the result file
const results = {
  seed,
  expertOwn,
  multitaskDev,
  multitaskInt8Dev,
  tfidf,
  merged,
  servedDev,
  selectionHoldout,
  cuts: JSON.parse(readFileSync(join(demo, 'training.json'), 'utf8')),
};
console.log(writeReport(renderReport(results, grid)));
console.log(`wrote docs/merging.md, docs/merging-chart.svg and ${writeResult('merging', results)}`);

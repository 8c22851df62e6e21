// `chimera eval`: dev accuracy per task through models/backend, the Worker's runtime,
// after checking the model's training files (named and hashed in its recipe) against the
// dev set it is scored on: an accuracy on sentences the model was trained on means little.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { overlappingTrainRows } from '../../models/data/exclude.ts';
import { formatOverlap } from '../../models/data/format.ts';
import type { OverlapReport } from '../../models/data/overlap.ts';
import type { ModelPackage } from '../../models/package.ts';
import { infer, loadModel } from '../../models/runtime.ts';
import { bootNodeBackend, packageStore } from '../node-runtime.ts';
import { readPackageDir } from '../package-dir.ts';
import { progressBar } from '../progress.ts';
import {
  DEFAULT_DATA_DIR,
  type Row,
  readSplit,
  readSplitFile,
  type SplitFile,
  type SplitName,
  splitPath,
  TASK_NAMES,
  TASKS,
  type TaskName,
} from '../senteval.ts';
import { checkOverlap } from './data.ts';

function sentevalTasks(pkg: ModelPackage): TaskName[] {
  const tasks = Object.keys(pkg.manifest.tasks).filter((t): t is TaskName => t in TASKS);
  if (tasks.length === 0) throw new Error(`${pkg.manifest.name} has none of the SentEval tasks (${TASK_NAMES.join(', ')})`);
  return tasks;
}

export async function evaluate(pkg: ModelPackage, dataDir = DEFAULT_DATA_DIR, quiet = false): Promise<Record<string, number>> {
  return evaluateRows(pkg, Object.fromEntries(sentevalTasks(pkg).map((t) => [t, readSplit(dataDir, t, 'dev')])), quiet);
}

const RecipeData = z.array(z.object({ path: z.string(), sha256: z.string(), rows: z.number().optional() }));

export interface TrainingOverlap {
  /** each file the recipe names: checked, or why not */
  files: { path: string; status: 'checked' | 'missing' | 'changed' | 'unknown'; detail?: string }[];
  /** null when no recorded file could be checked */
  report: OverlapReport | null;
  /** rows left out before checking, as the recipe's decontamination cut left them out of training */
  cut?: { rows: number; against: string[] };
}

const RecipeCut = z.object({
  against: z.array(z.object({ path: z.string(), sha256: z.string() })),
  rule: z.object({ threshold: z.number(), shingle: z.number(), minContainedWords: z.number() }),
});

/** The recipe's cut, redone: the rows of `train` that overlap the eval files it names,
 * which must be here with the same bytes (else nothing is left out, and the check says
 * so by reporting the overlap). */
async function applyRecipeCut(recipe: unknown, train: SplitFile[], dataDir: string): Promise<TrainingOverlap['cut']> {
  const parsed = RecipeCut.safeParse(recipe);
  if (!parsed.success) return undefined;
  const against: SplitFile[] = [];
  for (const a of parsed.data.against) {
    const known = TASK_NAMES.find((t) => splitPath(t, 'dev') === a.path);
    if (!known || !existsSync(join(dataDir, a.path))) return undefined;
    const file = await readSplitFile(dataDir, known, 'dev');
    if (file.record.sha256 !== a.sha256) return undefined;
    against.push(file);
  }
  const texts = (f: SplitFile) => ({ name: f.record.path, texts: f.rows.map((r) => r.text) });
  const found = overlappingTrainRows(train.map(texts), against.map(texts), parsed.data.rule);
  let rows = 0;
  found.splits.forEach((s, i) => {
    const out = new Set(s.excluded);
    rows += out.size;
    train[i]!.rows = train[i]!.rows.filter((_, k) => !out.has(k));
  });
  return { rows, against: against.map((f) => f.record.path) };
}

/** The overlap of the model's training files with the dev splits of its tasks. A recorded
 * file is checked only when the data folder holds the same bytes (same sha256), since
 * anything else says nothing about what the model saw. */
export async function trainingOverlap(pkg: ModelPackage, dataDir = DEFAULT_DATA_DIR, quiet = false): Promise<TrainingOverlap> {
  const recorded = RecipeData.safeParse(pkg.manifest.recipe?.data);
  if (!recorded.success) return { files: [], report: null };
  const files: TrainingOverlap['files'] = [];
  const train: SplitFile[] = [];
  for (const entry of recorded.data) {
    const known = TASK_NAMES.flatMap((task) => (['train', 'dev'] as SplitName[]).map((split) => ({ task, split }))).find(
      (s) => splitPath(s.task, s.split) === entry.path,
    );
    if (!known) files.push({ path: entry.path, status: 'unknown', detail: 'not a SentEval split: not checked' });
    else if (!existsSync(join(dataDir, entry.path))) files.push({ path: entry.path, status: 'missing', detail: `not found in ${dataDir}` });
    else {
      const file = await readSplitFile(dataDir, known.task, known.split);
      if (file.record.sha256 !== entry.sha256)
        files.push({
          path: entry.path,
          status: 'changed',
          detail: `differs: recipe sha256 ${entry.sha256.slice(0, 12)}…, here ${file.record.sha256.slice(0, 12)}…`,
        });
      else {
        files.push({ path: entry.path, status: 'checked' });
        train.push(file);
      }
    }
  }
  if (train.length === 0) return { files, report: null };
  const cut = await applyRecipeCut(pkg.manifest.recipe?.decontamination, train, dataDir);
  const dev = await Promise.all(sentevalTasks(pkg).map((t) => readSplitFile(dataDir, t, 'dev')));
  return { files, report: checkOverlap(train, dev, { quiet }), ...(cut && { cut }) };
}

function printTrainingOverlap(pkg: ModelPackage, dataDir: string, overlap: TrainingOverlap): void {
  if (overlap.files.length === 0) {
    console.log(`${pkg.manifest.name}'s recipe records no training data files: its overlap with the dev set is unknown`);
    return;
  }
  console.log(`training data of ${pkg.manifest.name} (from its recipe), looked up in ${dataDir}:`);
  for (const f of overlap.files) console.log(`  ${f.path.padEnd(16)} ${f.status === 'checked' ? 'same sha256: checked' : f.detail}`);
  if (overlap.cut)
    console.log(
      `  ${overlap.cut.rows} training rows left out first, as the recipe's cut against ${overlap.cut.against.length} dev files left them out of training`,
    );
  if (overlap.report) for (const line of formatOverlap(overlap.report, { examples: 1 })) console.log(line);
  else console.log('  no recorded file is here as it was trained on: overlap not checked');
  console.log('');
}

/** Accuracy per task on the given labelled rows, through the Worker's runtime. */
export async function evaluateRows(
  pkg: ModelPackage,
  rowsByTask: Partial<Record<TaskName, Row[]>>,
  quiet = false,
): Promise<Record<string, number>> {
  bootNodeBackend();
  const model = await loadModel(packageStore(pkg), pkg.manifest);
  const result: Record<string, number> = {};
  for (const [task, rows] of Object.entries(rowsByTask) as [TaskName, Row[]][]) {
    const bar = progressBar(`eval ${task}`, rows.length, quiet);
    let right = 0;
    for (let i = 0; i < rows.length; i += 256) {
      const chunk = rows.slice(i, i + 256);
      const out = await infer(
        model,
        chunk.map((r) => r.text),
        [task],
      );
      chunk.forEach((r, k) => {
        const label = (out.results[k]![task] as { label: string }).label;
        if (label === TASKS[task].labels[r.label]) right++;
      });
      bar.update(i + chunk.length);
    }
    bar.stop();
    result[task] = right / rows.length;
  }
  await model.release();
  return result;
}

export async function evalCommand(opts: { model?: string; data?: string; json?: boolean }): Promise<void> {
  if (!opts.model) throw new Error('--model PKG is required (a package folder or .onnx file)');
  const pkg = await readPackageDir(opts.model);
  const dataDir = opts.data ?? DEFAULT_DATA_DIR;
  const overlap = await trainingOverlap(pkg, dataDir, opts.json);
  if (!opts.json) printTrainingOverlap(pkg, dataDir, overlap);
  const acc = await evaluate(pkg, dataDir, opts.json);
  if (opts.json) {
    console.log(
      JSON.stringify({ model: pkg.manifest.name, version: pkg.manifest.version, trainingOverlap: overlap, accuracy: acc }, null, 2),
    );
    return;
  }
  console.log(`dev accuracy of ${pkg.manifest.name} (${pkg.manifest.version}, ${pkg.manifest.quantization})`);
  for (const [task, a] of Object.entries(acc)) console.log(`  ${task.padEnd(6)} ${(100 * a).toFixed(2)}%`);
  const values = Object.values(acc);
  console.log(`  ${'mean'.padEnd(6)} ${((100 * values.reduce((s, a) => s + a, 0)) / values.length).toFixed(2)}%`);
}

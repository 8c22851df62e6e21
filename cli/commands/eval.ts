// `chimera eval`: dev accuracy per task through models/backend, the Worker's runtime.

import type { ModelPackage } from '../../models/package.ts';
import { infer, loadModel } from '../../models/runtime.ts';
import { bootNodeBackend, packageStore } from '../node-runtime.ts';
import { readPackageDir } from '../package-dir.ts';
import { progressBar } from '../progress.ts';
import { DEFAULT_DATA_DIR, type Row, readSplit, TASK_NAMES, TASKS, type TaskName } from '../senteval.ts';

export async function evaluate(pkg: ModelPackage, dataDir = DEFAULT_DATA_DIR, quiet = false): Promise<Record<string, number>> {
  const tasks = Object.keys(pkg.manifest.tasks).filter((t): t is TaskName => t in TASKS);
  if (tasks.length === 0) throw new Error(`${pkg.manifest.name} has none of the SentEval tasks (${TASK_NAMES.join(', ')})`);
  return evaluateRows(pkg, Object.fromEntries(tasks.map((t) => [t, readSplit(dataDir, t, 'dev')])), quiet);
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
  const acc = await evaluate(pkg, opts.data, opts.json);
  if (opts.json) {
    console.log(JSON.stringify({ model: pkg.manifest.name, version: pkg.manifest.version, accuracy: acc }, null, 2));
    return;
  }
  console.log(`dev accuracy of ${pkg.manifest.name} (${pkg.manifest.version}, ${pkg.manifest.quantization})`);
  for (const [task, a] of Object.entries(acc)) console.log(`  ${task.padEnd(6)} ${(100 * a).toFixed(2)}%`);
  const values = Object.values(acc);
  console.log(`  ${'mean'.padEnd(6)} ${((100 * values.reduce((s, a) => s + a, 0)) / values.length).toFixed(2)}%`);
}

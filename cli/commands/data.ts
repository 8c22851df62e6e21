// `chimera data check`: is any evaluation sentence in the training data? Every train
// split of the SentEval folder against every dev split, across tasks (see
// models/data/overlap.ts). Exits 3 when any overlap is found, so scripts and CI can
// refuse contaminated data. train-demo and eval run the same check on their own files.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { formatOverlap } from '../../models/data/format.ts';
import { findOverlap, hasOverlap, type OverlapOptions, type OverlapReport } from '../../models/data/overlap.ts';
import { progressBar } from '../progress.ts';
import { DEFAULT_DATA_DIR, readSplitFile, type SplitFile, type SplitName, splitPath, TASK_NAMES, type TaskName } from '../senteval.ts';

export const OVERLAP_EXIT_CODE = 3;

/** The splits of the given tasks that exist in the data folder, read and hashed. */
export async function readSplitFiles(dataDir: string, split: SplitName, tasks: readonly TaskName[] = TASK_NAMES): Promise<SplitFile[]> {
  const present = tasks.filter((t) => existsSync(join(dataDir, splitPath(t, split))));
  return Promise.all(present.map((t) => readSplitFile(dataDir, t, split)));
}

/** findOverlap over split files, with progress bars on stderr. */
export function checkOverlap(
  train: readonly SplitFile[],
  evals: readonly SplitFile[],
  opts: OverlapOptions & { quiet?: boolean } = {},
): OverlapReport {
  const named = (files: readonly SplitFile[]) => files.map((f) => ({ name: f.record.path, texts: f.rows.map((r) => r.text) }));
  let bar: ReturnType<typeof progressBar> | undefined;
  let phase: string | undefined;
  const report = findOverlap(named(train), named(evals), {
    ...opts,
    onProgress: (p, done, total) => {
      if (p !== phase) {
        bar?.stop();
        bar = progressBar(p === 'sign' ? 'overlap: minhash' : 'overlap: near pairs', total, opts.quiet);
        phase = p;
      }
      bar?.update(done);
    },
  });
  bar?.stop();
  return report;
}

export interface DataCheckOptions {
  data?: string;
  threshold?: string;
  examples?: string;
  json?: boolean;
}

/** Returns the exit code: 0 clean, OVERLAP_EXIT_CODE when any eval row overlaps. */
export async function dataCommand(sub: string | undefined, opts: DataCheckOptions): Promise<number> {
  if (sub !== 'check') throw new Error(`unknown data command ${sub ?? '(none)'}: try \`chimera data check\``);
  const dataDir = opts.data ?? DEFAULT_DATA_DIR;
  const threshold = opts.threshold === undefined ? undefined : Number(opts.threshold);
  if (threshold !== undefined && !(threshold > 0 && threshold <= 1))
    throw new Error(`--threshold must be a Jaccard similarity in (0, 1], not ${opts.threshold}`);
  const examples = opts.examples === undefined ? undefined : Number(opts.examples);
  if (examples !== undefined && !(Number.isInteger(examples) && examples >= 0))
    throw new Error(`--examples must be a whole number, not ${opts.examples}`);

  const started = performance.now();
  const [train, dev] = await Promise.all([readSplitFiles(dataDir, 'train'), readSplitFiles(dataDir, 'dev')]);
  if (train.length === 0 || dev.length === 0)
    throw new Error(`${dataDir} holds no SentEval train and dev files (<TASK>/train.tsv, <TASK>/dev.tsv)`);
  const report = checkOverlap(train, dev, { threshold, examples, quiet: opts.json });
  const seconds = (performance.now() - started) / 1000;
  const code = hasOverlap(report) ? OVERLAP_EXIT_CODE : 0;

  if (opts.json) {
    console.log(
      JSON.stringify({ data: dataDir, seconds, train: train.map((f) => f.record), eval: dev.map((f) => f.record), ...report }, null, 2),
    );
    return code;
  }
  const rows = (files: SplitFile[]) => files.reduce((s, f) => s + f.rows.length, 0);
  console.log(`${dataDir}: ${train.length} train files (${rows(train)} rows) against ${dev.length} dev files (${rows(dev)} rows)`);
  for (const line of formatOverlap(report, { examples })) console.log(line);
  console.log(
    code === 0
      ? `\nclean: no dev sentence is in any training split (${seconds.toFixed(1)} s)`
      : `\noverlap found (${seconds.toFixed(1)} s): exact ${report.totals.exact}, near ${report.totals.near}, contained ${report.totals.contained}; exit ${code}`,
  );
  return code;
}

// The rows train-demo trains and selects on. The SentEval tasks share sentences (MR, SST2
// and SUBJ are cut from one pool), so two cuts are needed for the numbers to be honest:
// 1. every train row that is, nearly is, contains or sits inside a dev sentence of any
//    task is left out (models/data/exclude.ts): "never train on anything that overlaps
//    an evaluation set" covers more than exact copies;
// 2. the holdout that chooses epochs, learning rates and merge parameters is treated as a
//    dev set too: while choosing, every row of any task that overlaps a holdout row is
//    left out of training, or an MR holdout sentence seen in SST2's training part makes
//    memorising look like skill (it did: MR's holdout read 86%, TF-IDF's 75%).
import { type ExclusionKind, overlappingTrainRows, type SplitExclusion } from '../models/data/exclude.ts';
import { formatOverlap } from '../models/data/format.ts';
import type { OverlapReport, TextSplit } from '../models/data/overlap.ts';
import { checkOverlap, readSplitFiles } from './commands/data.ts';
import { type Row, readSplitFile, type SplitFile, splitPath, splitTrain, TASK_NAMES, type TaskName } from './senteval.ts';

export type RowsByTask = Record<TaskName, Row[]>;

/** What a recipe records of one cut: the rule, and the rows each split lost. */
export interface CutRecord {
  rule: { threshold: number; shingle: number; minContainedWords: number };
  dropped: Record<string, { of: number } & Record<ExclusionKind, number>>;
}

export interface DemoSplits {
  /** each task's train rows that overlap no dev sentence: what the final models train on */
  all: RowsByTask;
  /** 10% of `all` per task, by a seeded shuffle: for choosing, never trained on then */
  holdout: RowsByTask;
  /** the rest of `all`, less the rows that overlap a holdout row of any task */
  part: RowsByTask;
  devCut: CutRecord;
  holdoutCut: CutRecord;
}

const asSplits = (rows: RowsByTask, name: (t: TaskName) => string): TextSplit[] =>
  TASK_NAMES.map((t) => ({ name: name(t), texts: rows[t].map((r) => r.text) }));

function cut(rows: RowsByTask, against: TextSplit[], name: (t: TaskName) => string): { kept: RowsByTask; record: CutRecord } {
  const found = overlappingTrainRows(asSplits(rows, name), against);
  const kept = {} as RowsByTask;
  const dropped: CutRecord['dropped'] = {};
  found.splits.forEach((s: SplitExclusion, i) => {
    const task = TASK_NAMES[i]!;
    const out = new Set(s.excluded);
    kept[task] = rows[task].filter((_, k) => !out.has(k));
    dropped[s.name] = { of: s.rows, ...s.counts };
  });
  return { kept, record: { rule: found.rule, dropped } };
}

/** The train rows of every task, less what overlaps `dev`; `allowOverlap` keeps them all. */
export function cutAgainstDev(train: SplitFile[], dev: SplitFile[], allowOverlap = false): { rows: RowsByTask; record?: CutRecord } {
  const rows = Object.fromEntries(train.map((f) => [f.task, f.rows])) as RowsByTask;
  if (allowOverlap) return { rows };
  const devSplits = dev.map((f) => ({ name: f.record.path, texts: f.rows.map((r) => r.text) }));
  const { kept, record } = cut(rows, devSplits, (t) => splitPath(t, 'train'));
  return { rows: kept, record };
}

/** The holdout and the training part used while choosing. */
export function selectionSplits(all: RowsByTask, seed: number): Pick<DemoSplits, 'holdout' | 'part' | 'holdoutCut'> {
  const split = splitTrain(all, seed);
  const holdout = Object.fromEntries(TASK_NAMES.map((t) => [t, split[t].holdout])) as RowsByTask;
  const rest = Object.fromEntries(TASK_NAMES.map((t) => [t, split[t].train])) as RowsByTask;
  const { kept, record } = cut(
    rest,
    asSplits(holdout, (t) => `${t} holdout`),
    (t) => `${t} training part`,
  );
  return { holdout, part: kept, holdoutCut: record };
}

/** Rows lost per task by a cut, as "cr 3, cola 9, …". */
export const describeCut = (c: CutRecord) =>
  Object.entries(c.dropped)
    .map(([name, d]) => `${name} ${d.exact + d.near + d.contains + d.inside} of ${d.of}`)
    .join(', ');

/** The check train-demo runs before training: the train files it will train on against
 * every dev file. Exact overlap (after normalisation) is refused unless allowOverlap;
 * near-duplicates and contained sentences are shown, not refused (they need a judge). */
export async function checkTrainingData(
  dataDir: string,
  opts: { allowOverlap?: boolean; quiet?: boolean } = {},
): Promise<{ train: SplitFile[]; dev: SplitFile[]; report: OverlapReport }> {
  const train = await Promise.all(TASK_NAMES.map((t) => readSplitFile(dataDir, t, 'train')));
  const dev = await readSplitFiles(dataDir, 'dev');
  const report = checkOverlap(train, dev, { quiet: opts.quiet });
  if (!opts.quiet)
    for (const line of ['chimera: the train files against every dev file', ...formatOverlap(report, { examples: 2 })]) console.error(line);
  if (report.totals.exact > 0 && !opts.allowOverlap) {
    const pairs = report.pairs.filter((p) => p.exact > 0).map((p) => `${p.train} holds ${p.exact} of ${p.eval}'s ${p.evalRows} rows`);
    throw new Error(
      `dev sentences are in the training data (${pairs.join('; ')}): decontaminate ${dataDir} or pass --allow-overlap to train anyway`,
    );
  }
  return { train, dev, report };
}

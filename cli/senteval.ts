// The SentEval tasks in ../shared/data/senteval: train.tsv for training, dev.tsv only
// for evaluation. Labels are named so that replies read well.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../models/hash.ts';
import { seededRandom } from '../models/random.ts';

export const TASKS = {
  cr: { dir: 'CR', labels: ['negative', 'positive'], textFirst: false },
  cola: { dir: 'CoLA', labels: ['unacceptable', 'acceptable'], textFirst: true },
  mpqa: { dir: 'MPQA', labels: ['negative', 'positive'], textFirst: false },
  mr: { dir: 'MR', labels: ['negative', 'positive'], textFirst: false },
  sst2: { dir: 'SST2', labels: ['negative', 'positive'], textFirst: false },
  subj: { dir: 'SUBJ', labels: ['subjective', 'objective'], textFirst: false },
} as const;
export type TaskName = keyof typeof TASKS;
export const TASK_NAMES = Object.keys(TASKS) as TaskName[];

export interface Row {
  text: string;
  label: number;
}

export type SplitName = 'train' | 'dev';

/** where a split lives under the data folder, e.g. `SST2/train.tsv` */
export const splitPath = (task: TaskName, split: SplitName) => `${TASKS[task].dir}/${split}.tsv`;

export function readSplit(dataDir: string, task: TaskName, split: SplitName): Row[] {
  return parseSplit(readFileSync(join(dataDir, splitPath(task, split)), 'utf8'), task);
}

export function parseSplit(tsv: string, task: TaskName): Row[] {
  const spec = TASKS[task];
  return tsv
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((line) => {
      const [a, b] = line.split('\t');
      const [text, label] = spec.textFirst ? [a, b] : [b, a];
      const n = Number(label);
      return text !== undefined && (n === 0 || n === 1) ? [{ text, label: n }] : [];
    });
}

/** A data file as a model's recipe records it: its path under the data folder, the
 * sha256 of its bytes and the rows read from them. */
export interface DataFileRecord {
  path: string;
  sha256: string;
  rows: number;
}

export interface SplitFile {
  task: TaskName;
  split: SplitName;
  record: DataFileRecord;
  rows: Row[];
}

/** A split's rows and the hash of the very bytes they were parsed from, so that what a
 * recipe records is what was read. */
export async function readSplitFile(dataDir: string, task: TaskName, split: SplitName): Promise<SplitFile> {
  const path = splitPath(task, split);
  const bytes = new Uint8Array(readFileSync(join(dataDir, path)));
  const rows = parseSplit(new TextDecoder().decode(bytes), task);
  return { task, split, record: { path, sha256: await sha256Hex(bytes), rows: rows.length }, rows };
}

export const DEFAULT_DATA_DIR = '../shared/data/senteval';

/** Each task's train split cut by a seeded shuffle into train (90%) and holdout (10%):
 * the holdout chooses epochs and merge parameters, so dev stays unseen. The rows come
 * from the data folder, or are given (as read for a contamination check). */
export function splitTrain(source: string | Record<TaskName, Row[]>, seed: number): Record<TaskName, { train: Row[]; holdout: Row[] }> {
  return Object.fromEntries(
    TASK_NAMES.map((task, t) => {
      const rows = typeof source === 'string' ? readSplit(source, task, 'train') : source[task];
      const rnd = seededRandom(seed * 31 + t);
      const order = rows.map((_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const cut = Math.floor(rows.length * 0.1);
      return [task, { holdout: order.slice(0, cut).map((k) => rows[k]!), train: order.slice(cut).map((k) => rows[k]!) }];
    }),
  ) as Record<TaskName, { train: Row[]; holdout: Row[] }>;
}

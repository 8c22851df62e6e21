// The SentEval tasks in ../shared/data/senteval: train.tsv for training, dev.tsv only
// for evaluation. Labels are named so that replies read well.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

export function readSplit(dataDir: string, task: TaskName, split: 'train' | 'dev'): Row[] {
  const spec = TASKS[task];
  const file = join(dataDir, spec.dir, `${split}.tsv`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((line) => {
      const [a, b] = line.split('\t');
      const [text, label] = spec.textFirst ? [a, b] : [b, a];
      const n = Number(label);
      return text !== undefined && (n === 0 || n === 1) ? [{ text, label: n }] : [];
    });
}

export const DEFAULT_DATA_DIR = '../shared/data/senteval';

/** Each task's train split cut by a seeded shuffle into train (90%) and holdout (10%):
 * the holdout chooses epochs and merge parameters, so dev stays unseen. */
export function splitTrain(dataDir: string, seed: number): Record<TaskName, { train: Row[]; holdout: Row[] }> {
  return Object.fromEntries(
    TASK_NAMES.map((task, t) => {
      const rows = readSplit(dataDir, task, 'train');
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

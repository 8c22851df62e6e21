// The TF-IDF logistic-regression baseline of the merge report, per task: its L2 strength
// chosen on the holdout (trained on the training part, as the demo models' choices are
// made), then trained on all the task's rows with that strength and scored once on dev.
import type { RowsByTask } from '../../cli/demo-data.ts';
import { TASK_NAMES, type TaskName } from '../../cli/senteval.ts';
import { predictTfidf, trainTfidf } from '../../models/train/tfidf.ts';

export const TFIDF_L2 = [1e-4, 3e-5, 1e-5, 3e-6, 1e-6];
const STEPS = 500;

const accuracy = (m: ReturnType<typeof trainTfidf>, rows: { text: string; label: number }[]) =>
  rows.filter((r) => predictTfidf(m, r.text) === r.label).length / rows.length;
const trainOn = (rows: { text: string; label: number }[], l2: number) =>
  trainTfidf(
    rows.map((r) => r.text),
    rows.map((r) => r.label),
    { l2, steps: STEPS },
  );

export function tfidfBaseline(split: { all: RowsByTask; part: RowsByTask; holdout: RowsByTask }, dev: RowsByTask) {
  const chosen = {} as Record<TaskName, { l2: number; holdout: number }>;
  const devAcc = {} as Record<TaskName, number>;
  for (const t of TASK_NAMES) {
    let best = { l2: 0, holdout: -1 };
    for (const l2 of TFIDF_L2) {
      const h = accuracy(trainOn(split.part[t], l2), split.holdout[t]);
      if (h > best.holdout) best = { l2, holdout: h };
    }
    chosen[t] = best;
    devAcc[t] = accuracy(trainOn(split.all[t], best.l2), dev[t]);
  }
  return { chosen, dev: devAcc };
}

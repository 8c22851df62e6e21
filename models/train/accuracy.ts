// Accuracy of the training-time forward pass, for choosing epochs on a holdout.
import type { MultitaskWeights } from '../multitask/graph.ts';
import { type Example, predictLogits } from './multitask.ts';

export function accuracy(w: MultitaskWeights, data: Example[]): number {
  if (data.length === 0) return 0;
  let right = 0;
  for (const e of data) {
    const l = predictLogits(w, e.ids, e.task);
    if (l.indexOf(Math.max(...l)) === e.label) right++;
  }
  return right / data.length;
}

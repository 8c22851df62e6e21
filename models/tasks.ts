// From a task's output tensor to one answer per input: pooling over tokens where the
// output has them, then softmax (classification), sigmoid (multilabel) or the values
// themselves (regression, embeddings; L2-normalised when the task asks).
import type { Task } from '../schemas/manifest.ts';
import type { TensorData } from './backend.ts';
import { ModelError } from './errors.ts';

export type TaskResult =
  | { label: string; score: number; scores: Record<string, number> }
  | { labels: string[]; scores: Record<string, number> }
  | { values: number[] };

/** One row of numbers per input. `tokens` holds each input's real token count: padding
 * sits after them, so mean pooling averages the first `tokens[i]` positions. */
export function taskRows(spec: Task, out: TensorData, inputs: number, tokens?: number[]): number[][] {
  const data = out.data as ArrayLike<number | bigint>;
  const value = (i: number) => Number(data[i]);
  const pooling = spec.pooling ?? 'none';
  if (pooling === 'none') {
    const width = data.length / inputs;
    return Array.from({ length: inputs }, (_, r) => Array.from({ length: width }, (_, j) => value(r * width + j)));
  }
  if (out.dims.length !== 3) {
    throw new ModelError(
      'input',
      `output "${spec.output}" has shape [${out.dims.join(', ')}]; ${pooling} pooling needs [batch, tokens, hidden]`,
    );
  }
  const [, seq, hidden] = out.dims as [number, number, number];
  return Array.from({ length: inputs }, (_, r) => {
    const row = new Array<number>(hidden).fill(0);
    const n = pooling === 'cls' ? 1 : Math.max(1, Math.min(seq, tokens?.[r] ?? seq));
    for (let t = 0; t < n; t++) for (let h = 0; h < hidden; h++) row[h]! += value((r * seq + t) * hidden + h);
    return row.map((v) => v / n);
  });
}

export function readTask(spec: Task, raw: number[]): TaskResult {
  const labels = spec.labels ?? raw.map((_, i) => String(i));
  if (spec.kind === 'classification') {
    const max = Math.max(...raw);
    const exp = raw.map((v) => Math.exp(v - max));
    const sum = exp.reduce((a, b) => a + b, 0);
    const probs = exp.map((v) => v / sum);
    const best = probs.indexOf(Math.max(...probs));
    return { label: labels[best]!, score: probs[best]!, scores: Object.fromEntries(labels.map((l, i) => [l, probs[i]!])) };
  }
  if (spec.kind === 'multilabel') {
    const probs = raw.map((v) => 1 / (1 + Math.exp(-v)));
    return { labels: labels.filter((_, i) => probs[i]! >= 0.5), scores: Object.fromEntries(labels.map((l, i) => [l, probs[i]!])) };
  }
  if (spec.normalize) {
    const norm = Math.sqrt(raw.reduce((s, v) => s + v * v, 0)) || 1;
    return { values: raw.map((v) => v / norm) };
  }
  return { values: raw };
}

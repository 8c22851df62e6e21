// How far an int8 package's answers move from its float original, on texts the user
// gives: label agreement for classifiers, cosine similarity for embeddings and scores.
import { readFileSync } from 'node:fs';
import type { ModelPackage } from '../models/package.ts';
import { infer, loadModel, type TaskResult } from '../models/runtime.ts';
import { bootNodeBackend, packageStore } from './node-runtime.ts';

const cosine = (a: number[], b: number[]) => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [i, x] of a.entries()) {
    dot += x * b[i]!;
    na += x * x;
    nb += b[i]! * b[i]!;
  }
  return dot / (Math.sqrt(na * nb) || 1);
};
const vector = (r: TaskResult) => ('values' in r ? r.values : Object.values(r.scores));
const label = (r: TaskResult) => ('label' in r ? r.label : 'labels' in r ? r.labels.join('+') : undefined);

export interface TaskAgreement {
  task: string;
  texts: number;
  /** share of texts whose label (or label set) is the same; null for embeddings */
  labelAgreement: number | null;
  meanCosine: number;
  minCosine: number;
}

export async function agreement(float: ModelPackage, int8: ModelPackage, texts: string[]): Promise<TaskAgreement[]> {
  bootNodeBackend();
  const [a, b] = await Promise.all([float, int8].map((p) => loadModel(packageStore(p), p.manifest)));
  const tasks = Object.keys(float.manifest.tasks);
  const answers = { a: [] as Record<string, TaskResult>[], b: [] as Record<string, TaskResult>[] };
  for (let i = 0; i < texts.length; i += 16) {
    answers.a.push(...(await infer(a!, texts.slice(i, i + 16), tasks)).results);
    answers.b.push(...(await infer(b!, texts.slice(i, i + 16), tasks)).results);
  }
  await Promise.all([a!.release(), b!.release()]);
  return tasks.map((task) => {
    const pairs = answers.a.map((r, i) => [r[task]!, answers.b[i]![task]!] as const);
    const cos = pairs.map(([x, y]) => cosine(vector(x), vector(y)));
    const labelled = label(pairs[0]![0]) !== undefined;
    return {
      task,
      texts: texts.length,
      labelAgreement: labelled ? pairs.filter(([x, y]) => label(x) === label(y)).length / pairs.length : null,
      meanCosine: cos.reduce((s, c) => s + c, 0) / cos.length,
      minCosine: Math.min(...cos),
    };
  });
}

export async function compareAnswers(float: ModelPackage, int8: ModelPackage, texts: string[]): Promise<string> {
  const rows = await agreement(float, int8, texts);
  return rows
    .map(
      (r) =>
        `${r.task}: ${r.labelAgreement === null ? '' : `labels agree on ${(100 * r.labelAgreement).toFixed(1)}% of ${r.texts} texts; `}cosine mean ${r.meanCosine.toFixed(5)}, min ${r.minCosine.toFixed(5)}`,
    )
    .join('\n');
}

/** One text per non-empty line. */
export const readTexts = (path: string): string[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim());

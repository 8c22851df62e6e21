// The baseline every demo model is measured against: logistic regression on TF-IDF word
// uni+bigram features, per task, trained on the same train rows. Features as the usual
// recipe makes them: vocabulary from the training texts, sublinear tf (1 + ln tf),
// smoothed idf (ln((1 + N) / (1 + df)) + 1), each row scaled to unit L2 norm. The loss is
// convex, so full-batch Adam to convergence finds its one minimum whatever the start;
// only the L2 strength is a choice, made on a holdout by the caller.
import { words } from '../text/hashed-ngrams.ts';

export interface TfidfOptions {
  /** L2 penalty on the weights, added to the mean log-loss as l2/2 · ‖w‖² */
  l2: number;
  ngrams?: number[];
  /** full-batch Adam steps */
  steps?: number;
  lr?: number;
}

export interface TfidfModel {
  vocab: Map<string, number>;
  idf: Float32Array;
  w: Float32Array;
  b: number;
  ngrams: number[];
}

interface Row {
  ids: Int32Array;
  values: Float32Array;
}

function terms(text: string, ngrams: number[]): string[] {
  const w = words(text, true);
  const out: string[] = [];
  for (const n of ngrams) for (let i = 0; i + n <= w.length; i++) out.push(w.slice(i, i + n).join(' '));
  return out;
}

/** A text's sparse TF-IDF row over the model's vocabulary (unknown terms dropped). */
function featurize(text: string, vocab: Map<string, number>, idf: Float32Array, ngrams: number[]): Row {
  const tf = new Map<number, number>();
  for (const t of terms(text, ngrams)) {
    const id = vocab.get(t);
    if (id !== undefined) tf.set(id, (tf.get(id) ?? 0) + 1);
  }
  const ids = Int32Array.from(tf.keys());
  const values = Float32Array.from(ids, (id) => (1 + Math.log(tf.get(id)!)) * idf[id]!);
  const norm = Math.hypot(...values);
  if (norm > 0) for (let k = 0; k < values.length; k++) values[k]! /= norm;
  return { ids, values };
}

export function trainTfidf(texts: string[], labels: number[], opts: TfidfOptions): TfidfModel {
  const ngrams = opts.ngrams ?? [1, 2];
  const vocab = new Map<string, number>();
  const df: number[] = [];
  for (const text of texts)
    for (const t of new Set(terms(text, ngrams))) {
      let id = vocab.get(t);
      if (id === undefined) {
        id = vocab.size;
        vocab.set(t, id);
      }
      df[id] = (df[id] ?? 0) + 1;
    }
  const idf = Float32Array.from(df, (d) => Math.log((1 + texts.length) / (1 + d)) + 1);
  const rows = texts.map((t) => featurize(t, vocab, idf, ngrams));
  const n = vocab.size;
  const params = new Float32Array(n + 1); // weights, then the bias
  const m = new Float32Array(n + 1),
    v = new Float32Array(n + 1),
    g = new Float32Array(n + 1);
  const steps = opts.steps ?? 300,
    lr = opts.lr ?? 0.1;
  for (let step = 1; step <= steps; step++) {
    g.fill(0);
    rows.forEach((r, i) => {
      let z = params[n]!;
      for (let k = 0; k < r.ids.length; k++) z += params[r.ids[k]!]! * r.values[k]!;
      const err = (1 / (1 + Math.exp(-z)) - labels[i]!) / rows.length;
      for (let k = 0; k < r.ids.length; k++) g[r.ids[k]!]! += err * r.values[k]!;
      g[n]! += err;
    });
    for (let k = 0; k < n; k++) g[k]! += opts.l2 * params[k]!;
    const c1 = 1 - 0.9 ** step,
      c2 = 1 - 0.999 ** step;
    for (let k = 0; k <= n; k++) {
      m[k] = 0.9 * m[k]! + 0.1 * g[k]!;
      v[k] = 0.999 * v[k]! + 0.001 * g[k]! * g[k]!;
      params[k]! -= (lr * (m[k]! / c1)) / (Math.sqrt(v[k]! / c2) + 1e-8);
    }
  }
  return { vocab, idf, w: params.subarray(0, n), b: params[n]!, ngrams };
}

export function predictTfidf(model: TfidfModel, text: string): number {
  const r = featurize(text, model.vocab, model.idf, model.ngrams);
  let z = model.b;
  for (let k = 0; k < r.ids.length; k++) z += model.w[r.ids[k]!]! * r.values[k]!;
  return z >= 0 ? 1 : 0;
}

// Trains the multitask graph of models/multitask/graph.ts in plain TypeScript: a mean
// embedding bag, shared ReLU layer(s) and one softmax head per task, with Adam (lazy,
// row-wise for the embedding table: only rows a batch touched move). Deterministic
// from its seed: the same seed and data give the same weights bit for bit.

import type { Dense, MultitaskWeights } from '../multitask/graph.ts';
import { seededRandom } from '../random.ts';

export interface Example {
  ids: Int32Array;
  task: string;
  label: number;
}

export interface TrainOptions {
  epochs: number;
  lr: number;
  batch: number;
  seed: number;
  /** L2 on dense weights */
  weightDecay?: number;
  /** learning rate of the embedding table's rows (default lr) */
  embeddingLr?: number;
  /** the heads that train (default all); examples of other tasks are skipped */
  heads?: string[];
  /** multiplies both learning rates at each step (1-based, counted in this call) */
  lrScale?: (step: number) => number;
  /** each token of a training example is left out with this probability (word dropout) */
  tokenDropout?: number;
  /** L2 on the embedding rows a batch touches (lazy, like their Adam) */
  embeddingDecay?: number;
  onBatch?: (done: number, total: number, loss: number) => void;
}

export function initWeights(
  seed: number,
  shape: { vocab: number; dim: number; hidden: number[]; tasks: Record<string, number> },
): MultitaskWeights {
  const rnd = seededRandom(seed);
  const uniform = (n: number, limit: number) => Float32Array.from({ length: n }, () => (rnd() * 2 - 1) * limit);
  const dense = (inDim: number, outDim: number): Dense => ({
    inDim,
    outDim,
    w: uniform(inDim * outDim, Math.sqrt(6 / (inDim + outDim))),
    b: new Float32Array(outDim),
  });
  let width = shape.dim;
  const layers = shape.hidden.map((h) => {
    const l = dense(width, h);
    width = h;
    return l;
  });
  const heads = Object.fromEntries(Object.entries(shape.tasks).map(([t, n]) => [t, dense(width, n)]));
  // fastText's init, uniform(±1/dim), chosen over ±0.1 on the holdout: rows of rare
  // n-grams barely move in training, and a larger init leaves them as noise in every mean
  const embedding = uniform(shape.vocab * shape.dim, 1 / shape.dim);
  embedding.fill(0, 0, shape.dim); // id 0 is padding
  return { vocab: shape.vocab, dim: shape.dim, embedding, layers, heads };
}

export const cloneWeights = (w: MultitaskWeights): MultitaskWeights => ({
  ...w,
  embedding: w.embedding.slice(),
  layers: w.layers.map((l) => ({ ...l, w: l.w.slice(), b: l.b.slice() })),
  heads: Object.fromEntries(Object.entries(w.heads).map(([t, h]) => [t, { ...h, w: h.w.slice(), b: h.b.slice() }])),
});

/** Forward pass; returns the activations backprop needs and the task's logits. */
function forward(w: MultitaskWeights, ids: Int32Array, task: string) {
  const d = w.dim;
  const pooled = new Float32Array(d);
  for (const id of ids) for (let j = 0; j < d; j++) pooled[j]! += w.embedding[id * d + j]!;
  if (ids.length) for (let j = 0; j < d; j++) pooled[j]! /= ids.length;
  const acts = [pooled];
  let x = pooled;
  for (const l of w.layers) {
    const y = l.b.slice();
    for (let i = 0; i < l.inDim; i++) {
      const xi = x[i]!;
      if (xi === 0) continue;
      for (let o = 0; o < l.outDim; o++) y[o]! += xi * l.w[i * l.outDim + o]!;
    }
    for (let o = 0; o < l.outDim; o++) if (y[o]! < 0) y[o] = 0;
    acts.push(y);
    x = y;
  }
  const head = w.heads[task]!;
  const logits = Array.from(head.b);
  for (let i = 0; i < head.inDim; i++) for (let o = 0; o < head.outDim; o++) logits[o]! += x[i]! * head.w[i * head.outDim + o]!;
  return { acts, logits };
}

export function predictLogits(w: MultitaskWeights, ids: Int32Array, task: string): number[] {
  return forward(w, ids, task).logits;
}

class Adam {
  private m: Float32Array;
  private v: Float32Array;
  constructor(size: number) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }
  /** Updates params[offset .. offset+n) with grads[offset .. offset+n) at step t. */
  step(params: Float32Array, grads: Float32Array, t: number, lr: number, decay: number, offset = 0, n = params.length): void {
    const b1 = 0.9,
      b2 = 0.999,
      eps = 1e-8;
    const c1 = 1 - b1 ** t,
      c2 = 1 - b2 ** t;
    for (let i = offset; i < offset + n; i++) {
      const g = grads[i]! + decay * params[i]!;
      this.m[i] = b1 * this.m[i]! + (1 - b1) * g;
      this.v[i] = b2 * this.v[i]! + (1 - b2) * g * g;
      params[i]! -= (lr * (this.m[i]! / c1)) / (Math.sqrt(this.v[i]! / c2) + eps);
    }
  }
}

/** The ids with each left out at probability p; never all of them (the mean needs one). */
function dropTokens(ids: Int32Array, p: number, rnd: () => number): Int32Array {
  const kept = ids.filter(() => rnd() >= p);
  return kept.length > 0 || ids.length === 0 ? kept : ids.subarray(0, 1);
}

export function train(w: MultitaskWeights, data: Example[], opts: TrainOptions): void {
  const rnd = seededRandom(opts.seed);
  const d = w.dim;
  const decay = opts.weightDecay ?? 0;
  const drop = opts.tokenDropout ?? 0;
  const trainable = new Set(opts.heads ?? Object.keys(w.heads));
  const params: { p: Float32Array; g: Float32Array; opt: Adam; decay: number }[] = [];
  const add = (p: Float32Array, decayed: boolean) => {
    const e = { p, g: new Float32Array(p.length), opt: new Adam(p.length), decay: decayed ? decay : 0 };
    params.push(e);
    return e;
  };
  const layerParams = w.layers.map((l) => ({ w: add(l.w, true), b: add(l.b, false) }));
  const headParams = Object.fromEntries(
    Object.entries(w.heads)
      .filter(([t]) => trainable.has(t))
      .map(([t, h]) => [t, { w: add(h.w, true), b: add(h.b, false) }]),
  );
  const embGrad = new Float32Array(w.embedding.length);
  const embOpt = new Adam(w.embedding.length);
  const order = data.map((_, i) => i);
  const totalBatches = opts.epochs * Math.ceil(data.length / opts.batch);
  let t = 0;

  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (let start = 0; start < order.length; start += opts.batch) {
      const batch = order
        .slice(start, start + opts.batch)
        .map((k) => data[k]!)
        .filter((e) => trainable.has(e.task));
      if (batch.length === 0) continue;
      const touched = new Set<number>();
      let loss = 0;
      for (const full of batch) {
        const ex = drop > 0 ? { ...full, ids: dropTokens(full.ids, drop, rnd) } : full;
        const { acts, logits } = forward(w, ex.ids, ex.task);
        const max = Math.max(...logits);
        const exp = logits.map((v) => Math.exp(v - max));
        const sum = exp.reduce((a, b) => a + b, 0);
        loss -= Math.log(exp[ex.label]! / sum);
        const scale = 1 / batch.length;
        let delta = new Float32Array(exp.map((e, k) => (e / sum - (k === ex.label ? 1 : 0)) * scale));
        // head
        const head = w.heads[ex.task]!;
        const hp = headParams[ex.task]!;
        const top = acts[acts.length - 1]!;
        let back = new Float32Array(head.inDim);
        for (let a = 0; a < head.inDim; a++) {
          for (let o = 0; o < head.outDim; o++) {
            hp.w.g[a * head.outDim + o]! += top[a]! * delta[o]!;
            back[a]! += head.w[a * head.outDim + o]! * delta[o]!;
          }
        }
        for (let o = 0; o < head.outDim; o++) hp.b.g[o]! += delta[o]!;
        // shared layers, top down
        for (let li = w.layers.length - 1; li >= 0; li--) {
          const l = w.layers[li]!;
          const lp = layerParams[li]!;
          const out = acts[li + 1]!;
          const input = acts[li]!;
          delta = back.map((g, o) => (out[o]! > 0 ? g : 0));
          back = new Float32Array(l.inDim);
          for (let a = 0; a < l.inDim; a++) {
            const xa = input[a]!;
            let s = 0;
            for (let o = 0; o < l.outDim; o++) {
              const dv = delta[o]!;
              if (dv === 0) continue;
              lp.w.g[a * l.outDim + o]! += xa * dv;
              s += l.w[a * l.outDim + o]! * dv;
            }
            back[a] = s;
          }
          for (let o = 0; o < l.outDim; o++) lp.b.g[o]! += delta[o]!;
        }
        // embedding rows: d(mean)/d(row) = 1/n
        const inv = ex.ids.length ? 1 / ex.ids.length : 0;
        for (const id of ex.ids) {
          touched.add(id);
          for (let j = 0; j < d; j++) embGrad[id * d + j]! += back[j]! * inv;
        }
      }
      t++;
      const scale = opts.lrScale?.(t) ?? 1;
      for (const p of params) {
        p.opt.step(p.p, p.g, t, opts.lr * scale, p.decay);
        p.g.fill(0);
      }
      touched.delete(0); // padding stays zero
      const embLr = (opts.embeddingLr ?? opts.lr) * scale;
      for (const id of touched) embOpt.step(w.embedding, embGrad, t, embLr, opts.embeddingDecay ?? 0, id * d, d);
      for (const id of touched) embGrad.fill(0, id * d, id * d + d);
      embGrad.fill(0, 0, d);
      opts.onBatch?.(t, totalBatches, loss / batch.length);
    }
  }
}

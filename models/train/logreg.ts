// The bag-of-words logistic-regression baseline: binary word features (a vocabulary
// built from the training split), L2-regularized, trained with Adam on full batches.
export interface BowModel {
  vocab: Map<string, number>;
  w: Float32Array;
  b: number;
}

export function trainLogReg(docs: string[][], labels: number[], opts = { epochs: 60, lr: 0.05, l2: 1e-4 }): BowModel {
  const vocab = new Map<string, number>();
  for (const doc of docs) for (const t of doc) if (!vocab.has(t)) vocab.set(t, vocab.size);
  const feats = docs.map((doc) => Int32Array.from(new Set(doc.map((t) => vocab.get(t)!))));
  const w = new Float32Array(vocab.size);
  let b = 0;
  const m = new Float32Array(vocab.size + 1),
    v = new Float32Array(vocab.size + 1);
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const g = new Float32Array(vocab.size + 1);
    feats.forEach((f, i) => {
      let z = b;
      for (const k of f) z += w[k]!;
      const err = (1 / (1 + Math.exp(-z)) - labels[i]!) / feats.length;
      for (const k of f) g[k]! += err;
      g[vocab.size]! += err;
    });
    const c1 = 1 - 0.9 ** epoch,
      c2 = 1 - 0.999 ** epoch;
    for (let k = 0; k <= vocab.size; k++) {
      const p = k < vocab.size ? w[k]! : b;
      const grad = g[k]! + (k < vocab.size ? opts.l2 * p : 0);
      m[k] = 0.9 * m[k]! + 0.1 * grad;
      v[k] = 0.999 * v[k]! + 0.001 * grad * grad;
      const next = p - (opts.lr * (m[k]! / c1)) / (Math.sqrt(v[k]! / c2) + 1e-8);
      if (k < vocab.size) w[k] = next;
      else b = next;
    }
  }
  return { vocab, w, b };
}

export function predictLogReg(model: BowModel, doc: string[]): number {
  let z = model.b;
  for (const k of new Set(doc.map((t) => model.vocab.get(t)))) if (k !== undefined) z += model.w[k]!;
  return z >= 0 ? 1 : 0;
}

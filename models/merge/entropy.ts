// AdaMerging's objective on the multitask graph, in TypeScript: each text's pooled embedding
// under the base and under every task vector (computed once, streaming the embedding table
// in row blocks), then, per candidate set of coefficients, the rest of the forward pass and
// the mean entropy of the heads' predictions. tests/node/adamerging.test.ts checks it
// against onnxruntime on the merged package.
import type { UnlabelledText } from './adamerging.ts';
import { logical, type Opened, readRows } from './read.ts';

export interface Pooled {
  dim: number;
  /** [text, dim]: the base's pooled embedding */
  base: Float32Array;
  /** per expert, [text, dim]: its task vector's pooled embedding */
  deltas: Float32Array[];
}

/** Each text's mean embedding under the base and under each task vector, as the graph pools
 * it (weight 1/n per token), streaming the table in row blocks of about `chunk` values. */
export async function poolTexts(base: Opened, experts: Opened[], texts: UnlabelledText[], chunk: number): Promise<Pooled> {
  const [rows, dim] = logical(base, 'embedding').dims as [number, number];
  const uses = new Map<number, { text: number; weight: number }[]>();
  texts.forEach((t, text) => {
    for (const id of t.ids) {
      if (id < 0 || id >= rows) throw new Error(`token id ${id} is outside the embedding's ${rows} rows`);
      const list = uses.get(id) ?? uses.set(id, []).get(id)!;
      list.push({ text, weight: 1 / t.ids.length });
    }
  });
  const ids = [...uses.keys()].sort((a, b) => a - b);
  const out: Pooled = {
    dim,
    base: new Float32Array(texts.length * dim),
    deltas: experts.map(() => new Float32Array(texts.length * dim)),
  };
  const per = Math.max(1, Math.floor(chunk / dim));
  let next = 0;
  for (let r0 = 0; r0 < rows && next < ids.length; r0 += per) {
    const r1 = Math.min(rows, r0 + per);
    if (ids[next]! >= r1) continue;
    const b = await readRows(base, 'embedding', r0, r1);
    const es = await Promise.all(experts.map((e) => readRows(e, 'embedding', r0, r1)));
    for (; next < ids.length && ids[next]! < r1; next++) {
      const at = (ids[next]! - r0) * dim;
      for (const { text, weight } of uses.get(ids[next]!)!) {
        for (let j = 0; j < dim; j++) {
          out.base[text * dim + j]! += weight * b[at + j]!;
          es.forEach((e, i) => {
            out.deltas[i]![text * dim + j]! += weight * (e[at + j]! - b[at + j]!);
          });
        }
      }
    }
  }
  return out;
}

/** Mean over heads of the mean entropy of that head's predictions on its texts. */
export function meanEntropy(
  p: Pooled,
  embedding: number[],
  net: { w: Float32Array; b: Float32Array; out: number }[],
  heads: Record<string, { w: Float32Array; b: Float32Array }>,
  texts: UnlabelledText[],
  names: string[],
): number {
  const sum = new Map<string, { total: number; n: number }>(names.map((h) => [h, { total: 0, n: 0 }]));
  for (const [t, text] of texts.entries()) {
    let x = new Float32Array(p.dim);
    for (let j = 0; j < p.dim; j++) {
      let v = p.base[t * p.dim + j]!;
      for (let i = 0; i < embedding.length; i++) v += embedding[i]! * p.deltas[i]![t * p.dim + j]!;
      x[j] = v;
    }
    for (const l of net) {
      const y = l.b.slice();
      for (let a = 0; a < x.length; a++) {
        const xa = x[a]!;
        if (xa !== 0) for (let o = 0; o < l.out; o++) y[o]! += xa * l.w[a * l.out + o]!;
      }
      for (let o = 0; o < l.out; o++) if (y[o]! < 0) y[o] = 0;
      x = y;
    }
    for (const h of text.task === undefined ? names : [text.task]) {
      const { w, b } = heads[h]!;
      const logits = Array.from(b);
      for (let a = 0; a < x.length; a++) for (let o = 0; o < b.length; o++) logits[o]! += x[a]! * w[a * b.length + o]!;
      const max = Math.max(...logits);
      const exps = logits.map((v) => Math.exp(v - max));
      const z = exps.reduce((s, v) => s + v, 0);
      const entropy = -exps.reduce((s, v) => s + (v > 0 ? (v / z) * Math.log(v / z) : 0), 0);
      const acc = sum.get(h)!;
      acc.total += entropy;
      acc.n++;
    }
  }
  const used = [...sum.values()].filter((s) => s.n > 0);
  return used.reduce((s, v) => s + v.total / v.n, 0) / used.length;
}

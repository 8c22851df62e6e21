// The TypeScript trainer behind `chimera train-demo`: it learns, and the same seed gives
// the same weights bit for bit.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../models/random.ts';
import { accuracy } from '../../models/train/accuracy.ts';
import { type Example, initWeights, train } from '../../models/train/multitask.ts';

// two tasks over 200 ids: "a" is whether id 7 occurs, "b" whether id 9 does; the rest is noise
function examples(n: number, seed: number): Example[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const task = i % 2 ? 'b' : 'a',
      label = rnd() < 0.5 ? 1 : 0;
    const ids = Array.from({ length: 6 }, () => 10 + Math.floor(rnd() * 190));
    if (label) ids.push(task === 'a' ? 7 : 9);
    return { ids: Int32Array.from(ids), task, label };
  });
}

const shape = { vocab: 200, dim: 16, hidden: [16], tasks: { a: 2, b: 2 } };
const trainSmall = () => {
  const w = initWeights(3, shape);
  train(w, examples(2000, 1), { epochs: 4, lr: 1e-2, batch: 32, seed: 5 });
  return w;
};

describe('train', () => {
  it('learns each task head from the shared encoder', () => {
    const w = trainSmall();
    const held = examples(400, 2);
    expect(
      accuracy(
        w,
        held.filter((e) => e.task === 'a'),
      ),
    ).toBeGreaterThan(0.95);
    expect(
      accuracy(
        w,
        held.filter((e) => e.task === 'b'),
      ),
    ).toBeGreaterThan(0.95);
  });
  it('is deterministic from its seed', () => {
    const [x, y] = [trainSmall(), trainSmall()];
    expect(Buffer.from(x.embedding.buffer).equals(Buffer.from(y.embedding.buffer))).toBe(true);
    expect(Buffer.from(x.layers[0]!.w.buffer).equals(Buffer.from(y.layers[0]!.w.buffer))).toBe(true);
    expect(Buffer.from(x.heads.b!.w.buffer).equals(Buffer.from(y.heads.b!.w.buffer))).toBe(true);
  });
  it('keeps the padding row at zero and leaves heads it does not train alone', () => {
    const w = initWeights(3, shape);
    const before = w.heads.a!.w.slice();
    train(w, examples(500, 1), { epochs: 1, lr: 1e-2, batch: 32, seed: 5, heads: ['b'] });
    expect(w.embedding.subarray(0, shape.dim).every((v) => v === 0)).toBe(true);
    expect(w.heads.a!.w).toEqual(before);
  });
  it('moves the embedding at its own learning rate', () => {
    const w = initWeights(3, shape);
    const table = w.embedding.slice(),
      layer = w.layers[0]!.w.slice();
    train(w, examples(200, 1), { epochs: 1, lr: 1e-2, embeddingLr: 0, batch: 32, seed: 5 });
    expect(w.embedding).toEqual(table);
    expect(w.layers[0]!.w).not.toEqual(layer);
  });
});

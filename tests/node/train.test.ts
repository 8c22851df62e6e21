// The TypeScript trainer behind `chimera train-demo`: it learns, and the same seed gives
// the same weights bit for bit.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../models/random.ts';
import { accuracy } from '../../models/train/accuracy.ts';
import { type Example, initWeights, train } from '../../models/train/multitask.ts';
import { predictTfidf, trainTfidf } from '../../models/train/tfidf.ts';

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

describe('training options', () => {
  it('a zero learning-rate scale freezes every weight; word dropout changes the result but stays deterministic', () => {
    const frozen = initWeights(3, shape);
    const before = frozen.layers[0]!.w.slice();
    train(frozen, examples(200, 1), { epochs: 1, lr: 1e-2, batch: 32, seed: 5, lrScale: () => 0 });
    expect(frozen.layers[0]!.w).toEqual(before);
    const dropped = () => {
      const w = initWeights(3, shape);
      train(w, examples(400, 1), { epochs: 1, lr: 1e-2, batch: 32, seed: 5, tokenDropout: 0.3 });
      return w;
    };
    const plain = initWeights(3, shape);
    train(plain, examples(400, 1), { epochs: 1, lr: 1e-2, batch: 32, seed: 5 });
    expect(dropped().layers[0]!.w).toEqual(dropped().layers[0]!.w);
    expect(dropped().layers[0]!.w).not.toEqual(plain.layers[0]!.w);
  });
});

describe('TF-IDF logistic regression (the baseline)', () => {
  it('learns a word-level task, and stronger L2 shrinks its weights', () => {
    const rnd = seededRandom(9);
    const vocab = ['good', 'great', 'fine', 'bad', 'awful', 'poor', 'the', 'a', 'film', 'plot', 'was', 'it'];
    const doc = () => {
      const label = rnd() < 0.5 ? 1 : 0;
      const words = Array.from({ length: 5 }, () => vocab[6 + Math.floor(rnd() * 6)]!);
      words.splice(Math.floor(rnd() * 5), 0, vocab[(label ? 0 : 3) + Math.floor(rnd() * 3)]!);
      return { text: words.join(' '), label };
    };
    const trainSet = Array.from({ length: 300 }, doc),
      test = Array.from({ length: 200 }, doc);
    const trainOn = (l2: number) =>
      trainTfidf(
        trainSet.map((d) => d.text),
        trainSet.map((d) => d.label),
        { l2, steps: 200 },
      );
    const model = trainOn(1e-5);
    expect(test.filter((d) => predictTfidf(model, d.text) === d.label).length / test.length).toBeGreaterThan(0.97);
    const norm = (m: ReturnType<typeof trainOn>) => Math.hypot(...m.w);
    expect(norm(trainOn(1e-1))).toBeLessThan(norm(model) / 2);
    expect(model.vocab.has('good film')).toBe(true); // bigrams too
  });
});

import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { InferResponse } from '../../schemas/api/infer.ts';
import { TEXTS } from '../fixtures/reference.ts';
import { call, type Seeded, seed } from './helpers.ts';

let s: Seeded;
beforeAll(async () => {
  s = await seed();
});

const softmax = (v: number[]) => {
  const m = Math.max(...v);
  const e = v.map((x) => Math.exp(x - m));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
};

describe('POST /v1/models/{model}/infer', () => {
  for (const [model, name] of [
    ['multitask', 'fixture-multitask'],
    ['fp32', 'fixture-fp32'],
  ] as const) {
    it(`matches onnxruntime-web in Node for ${name}`, async () => {
      const reference = inject('reference')[model]!;
      const res = await call(`/v1/models/${name}/infer`, { key: s.key, body: { inputs: TEXTS } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as InferResponse;
      expect(body).toMatchObject({ model: name, version: 1, alias: 'prod', backend: 'wasm' });
      expect(body.results).toHaveLength(TEXTS.length);
      for (const [task, logits] of Object.entries(reference)) {
        TEXTS.forEach((_, i) => {
          const got = body.results[i]![task] as { label: string; scores: Record<string, number> };
          const want = softmax(logits[i]!);
          expect(Object.keys(got.scores)).toHaveLength(want.length);
          for (const [j, p] of Object.values(got.scores).entries()) expect(p).toBeCloseTo(want[j]!, 6);
        });
      }
    });
  }

  it('runs only the heads asked for', async () => {
    const res = await call('/v1/models/fixture-multitask/infer', { key: s.key, body: { inputs: ['fine'], tasks: ['topic'] } });
    const body = (await res.json()) as InferResponse;
    expect(Object.keys(body.results[0]!)).toEqual(['topic']);
    expect(Object.keys((body.results[0]!.topic as { scores: object }).scores)).toEqual(['world', 'sports', 'business', 'science']);
    expect(body.usage.input_tokens).toBe(1);
  });

  it('pins a version and says which answered', async () => {
    const res = await call('/v1/models/fixture-multitask/infer', { key: s.key, body: { inputs: ['x'], version: 1 } });
    expect((await res.json()) as InferResponse).toMatchObject({ version: 1, alias: null });
  });
});

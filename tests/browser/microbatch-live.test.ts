// Micro-batching inside workerd, under `wrangler dev` with MICRO_BATCH=on (every float
// text model batched): concurrent requests are separate request contexts there, and one
// request's run answers the others, which workerd allows only where each request keeps
// something of its own pending (else it cancels the waiting ones as hung: a 500). Each
// concurrent request must get what it gets alone: on a float transformer (an imported
// Hugging Face export) whose runs are shared, and on the int8 demo model, which is never
// batched (one activation scale per run would make rows depend on their neighbours).
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePackageDir } from '../../cli/package-dir.ts';
import { createNodeChimera } from '../../clients/typescript/src/node.ts';
import { importHfExport } from '../../models/import/hf-export.ts';
import { type LiveWorker, startLiveWorker } from './live-worker.ts';

const FIXTURE = join(import.meta.dirname, '../fixtures/hf/bert-embed');
const TEXTS = [
  'a gripping , beautifully shot film',
  'dull and far too long',
  'the cast is wonderful but the script lets them down',
  'i would watch it again tomorrow',
  'not a single laugh in two hours',
  'an honest , moving portrait of a family',
  'the plot makes no sense at all',
  'quietly brilliant',
];
const TASK_SETS: (string[] | undefined)[] = [undefined, ['sst2'], ['sst2', 'subj'], undefined];

let worker: LiveWorker;
beforeAll(async () => {
  worker = await startLiveWorker({ vars: { MICRO_BATCH: 'on', MICRO_BATCH_WINDOW_MS: '5', RATE_LIMITS: 'off' } });
  const files = Object.fromEntries(readdirSync(FIXTURE).map((f) => [f, new Uint8Array(readFileSync(join(FIXTURE, f)))]));
  const dir = await mkdtemp(join(tmpdir(), 'chimera-embed-'));
  writePackageDir(dir, await importHfExport(files, { name: 'bert-embed' }));
  await createNodeChimera({ baseUrl: worker.url, apiKey: worker.apiKey }).publish('bert-embed', dir, { alias: 'prod' });
  await rm(dir, { recursive: true, force: true });
}, 180_000);
afterAll(async () => {
  await worker?.stop();
});

const infer = (model: string, text: string, tasks?: string[]) =>
  fetch(`${worker.url}/v1/models/${model}/infer`, {
    method: 'POST',
    headers: { authorization: `Bearer ${worker.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: [text], ...(tasks ? { tasks } : {}) }),
  });

/** Every number in a value, in order, and the value with them taken out. */
const numbersOf = (v: unknown) => {
  const numbers: number[] = [];
  const shape = JSON.stringify(v, (_, x) => {
    if (typeof x !== 'number') return x;
    numbers.push(x);
    return 0;
  });
  return { shape, numbers };
};
/** Same labels and keys, numbers within 1e-6: a shared float run may add in another order. */
function expectClose(actual: unknown, expected: unknown) {
  const [a, e] = [numbersOf(actual), numbersOf(expected)];
  expect(a.shape).toBe(e.shape);
  expect(Math.max(0, ...a.numbers.map((x, i) => Math.abs(x - e.numbers[i]!)))).toBeLessThan(1e-6);
}

async function concurrentAsAlone(model: string, tasks: (string[] | undefined)[], exact: boolean) {
  const cases = TEXTS.map((text, i) => ({ text, tasks: tasks[i % tasks.length] }));
  const alone: unknown[] = [];
  for (const c of cases) {
    const res = await infer(model, c.text, c.tasks);
    expect(res.status).toBe(200);
    alone.push(((await res.json()) as { results: unknown[] }).results);
  }
  for (let round = 0; round < 3; round++) {
    const together = await Promise.all(cases.map((c) => infer(model, c.text, c.tasks)));
    expect(together.map((r) => r.status)).toEqual(cases.map(() => 200));
    const results = await Promise.all(together.map(async (r) => ((await r.json()) as { results: unknown[] }).results));
    for (const [i, r] of results.entries()) {
      if (exact) expect(r).toEqual(alone[i]);
      else expectClose(r, alone[i]);
    }
  }
}

describe('micro-batching in workerd', () => {
  it('answers concurrent requests on a float transformer, whose runs they share, each as if alone', async () => {
    await concurrentAsAlone('bert-embed', [undefined], false);
  }, 120_000);

  it('never batches an int8 model: concurrent answers are byte for byte the lone ones', async () => {
    await concurrentAsAlone('senteval-multitask', TASK_SETS, true);
  }, 120_000);
});

// What a request costs around the model, and what cold starts cost, against `wrangler
// dev` with the rate limiters off (their local simulator is an RPC per call):
// - /healthz (the transport floor) and /infer (the demo model, one 13-word input, all
//   six tasks) at concurrency 1, 8 and 32, by autocannon: req/s, latency percentiles,
//   and the infer ÷ healthz ratio measured in the same run;
// - the first request of a fresh isolate: model bytes from R2 (a new location) and from
//   the location's Cache API (the same state, a restarted isolate), with the load's
//   breakdown from the Server-Timing header; and a second model's first request in a
//   warm isolate, its bytes in the location's cache (ORT already running);
// - the same infer with the opt-in response cache (Cache-Control: max-age, pinned
//   version): every request after the first is a hit.
//   node bench/throughput.ts [--quick]

import { rmSync } from 'node:fs';
import autocannon from 'autocannon';
import { BENCH_VARS, seedState } from './lib/load.ts';
import { printTable, type Summary, writeResult } from './lib/stats.ts';
import { startDev } from './lib/wrangler-dev.ts';

const quick = process.argv.includes('--quick');
const SECONDS = quick ? 3 : 8;
const STATE = 'bench/.state-throughput';
const TEXT = 'a gripping , beautifully shot film with a plot that never lets go of you';
const MODEL = 'senteval-multitask';
const vars = { ...BENCH_VARS, RATE_LIMITS: 'off' };

interface Point {
  concurrency: number;
  reqPerSec: number;
  latency: { p50: number; p90: number; p99: number };
  non2xx: number;
}

async function load(
  url: string,
  key: string,
  path: string,
  concurrency: number,
  body?: string,
  extra: Record<string, string> = {},
): Promise<Point> {
  const result = await autocannon({
    url: `${url}${path}`,
    connections: concurrency,
    duration: SECONDS,
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...extra },
    body,
  });
  return {
    concurrency,
    reqPerSec: result.requests.average,
    latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99 },
    non2xx: result.non2xx + result.errors,
  };
}

interface FirstRequest {
  wallMs: number;
  loadMs: number | null;
  totalMs: number;
  /** the Server-Timing header's load breakdown (load, load-read, load-session, load-warm) */
  phases: Record<string, number>;
}

/** One infer: wall time, the Worker's timing and its Server-Timing breakdown. */
async function timedInfer(url: string, key: string, model: string): Promise<FirstRequest> {
  const t = performance.now();
  const res = await fetch(`${url}/v1/models/${model}/infer`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: [TEXT], tasks: ['cr', 'cola', 'mpqa', 'mr', 'sst2', 'subj'] }),
  });
  const body = (await res.json()) as { timing: { load_ms: number | null; total_ms: number } };
  const phases = Object.fromEntries(
    (res.headers.get('server-timing') ?? '')
      .split(',')
      .map((m) => /^\s*([\w-]+);dur=([\d.]+)/.exec(m))
      .filter((m) => m !== null)
      .map((m) => [m[1]!, Number(m[2])]),
  );
  return { wallMs: performance.now() - t, loadMs: body.timing.load_ms, totalMs: body.timing.total_ms, phases };
}

/** The first infer of a fresh isolate; with `then`, also a second model's first infer after it. */
async function firstRequest(key: string, then?: string): Promise<{ first: FirstRequest; second?: FirstRequest }> {
  const dev = await startDev(STATE, vars);
  try {
    const first = await timedInfer(dev.url, key, MODEL);
    return { first, ...(then ? { second: await timedInfer(dev.url, key, then) } : {}) };
  } finally {
    await dev.stop();
  }
}

const { bench: key } = await seedState(STATE, ['bench']);
// nothing cached yet in this location; the second model's request only puts its bytes in
// the location's cache, for the warm-isolate case below
const fromR2 = (await firstRequest(key!, 'senteval-merged')).first;
// a new isolate, the bytes in the location's cache; then another model, also cached, in the now warm isolate
const { first: fromCache, second: secondModelFromCache } = await firstRequest(key!, 'senteval-merged');

const dev = await startDev(STATE, vars);
// the six heads named, as before the demo gained an embedding task (all tasks would add it)
const body = JSON.stringify({ inputs: [TEXT], tasks: ['cr', 'cola', 'mpqa', 'mr', 'sst2', 'subj'] });
const cachedBody = JSON.stringify({ ...JSON.parse(body), version: 1 });
const points: Record<'healthz' | 'infer' | 'inferCached', Point[]> = { healthz: [], infer: [], inferCached: [] };
try {
  await load(dev.url, key!, `/v1/models/${MODEL}/infer`, 8, body); // warm the isolate and the model
  for (const c of [1, 8, 32]) {
    points.healthz.push(await load(dev.url, key!, '/healthz', c));
    points.infer.push(await load(dev.url, key!, `/v1/models/${MODEL}/infer`, c, body));
    points.inferCached.push(await load(dev.url, key!, `/v1/models/${MODEL}/infer`, c, cachedBody, { 'cache-control': 'max-age=86400' }));
  }
} finally {
  await dev.stop();
  rmSync(STATE, { recursive: true, force: true });
}

const ratio = points.infer.map((p, i) => ({
  concurrency: p.concurrency,
  inferOverHealthz: p.reqPerSec / points.healthz[i]!.reqPerSec,
  cachedOverHealthz: points.inferCached[i]!.reqPerSec / points.healthz[i]!.reqPerSec,
}));
const asSummary = (p: Point): Summary => ({ n: Math.round(p.reqPerSec * SECONDS), ...p.latency, mean: NaN, min: NaN, max: NaN });
printTable(
  'latency by concurrency',
  Object.fromEntries([
    ...points.healthz.map((p) => [`healthz ×${p.concurrency}`, asSummary(p)]),
    ...points.infer.map((p) => [`infer ×${p.concurrency}`, asSummary(p)]),
    ...points.inferCached.map((p) => [`infer, cached ×${p.concurrency}`, asSummary(p)]),
  ]),
);
console.table(
  ratio.map((r, i) => ({
    ...r,
    healthz: points.healthz[i]!.reqPerSec,
    infer: points.infer[i]!.reqPerSec,
    inferCached: points.inferCached[i]!.reqPerSec,
  })),
);
const coldStart = { fromR2, fromCache, secondModelFromCache };
console.log({ coldStart });
console.log(`wrote ${writeResult('throughput', { quick, seconds: SECONDS, model: MODEL, points, ratio, coldStart })}`);

// What a request costs around the model, and what cold starts cost, against `wrangler
// dev` with the rate limiters off (their local simulator is an RPC per call):
// - /healthz (the transport floor) and /infer (the demo model, one 13-word input, all
//   six tasks) at concurrency 1, 8 and 32, by autocannon: req/s, latency percentiles,
//   and the infer ÷ healthz ratio measured in the same run;
// - the first request of a fresh isolate: model bytes from R2 (a new location) and from
//   the location's Cache API (the same state, a restarted isolate).
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

async function load(url: string, key: string, path: string, concurrency: number, body?: string): Promise<Point> {
  const result = await autocannon({
    url: `${url}${path}`,
    connections: concurrency,
    duration: SECONDS,
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  });
  return {
    concurrency,
    reqPerSec: result.requests.average,
    latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99 },
    non2xx: result.non2xx + result.errors,
  };
}

/** The first infer of a fresh isolate: wall time and the Worker's load_ms. */
async function firstRequest(key: string): Promise<{ wallMs: number; loadMs: number | null; totalMs: number }> {
  const dev = await startDev(STATE, vars);
  try {
    const t = performance.now();
    const res = await fetch(`${dev.url}/v1/models/${MODEL}/infer`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [TEXT], tasks: ['cr', 'cola', 'mpqa', 'mr', 'sst2', 'subj'] }),
    });
    const body = (await res.json()) as { timing: { load_ms: number | null; total_ms: number } };
    return { wallMs: performance.now() - t, loadMs: body.timing.load_ms, totalMs: body.timing.total_ms };
  } finally {
    await dev.stop();
  }
}

const { bench: key } = await seedState(STATE, ['bench']);
const fromR2 = await firstRequest(key!); // nothing cached yet in this location
const fromCache = await firstRequest(key!); // a new isolate, the bytes in the location's cache

const dev = await startDev(STATE, vars);
// the six heads named, as before the demo gained an embedding task (all tasks would add it)
const body = JSON.stringify({ inputs: [TEXT], tasks: ['cr', 'cola', 'mpqa', 'mr', 'sst2', 'subj'] });
const points: Record<'healthz' | 'infer', Point[]> = { healthz: [], infer: [] };
try {
  await load(dev.url, key!, `/v1/models/${MODEL}/infer`, 8, body); // warm the isolate and the model
  for (const c of [1, 8, 32]) {
    points.healthz.push(await load(dev.url, key!, '/healthz', c));
    points.infer.push(await load(dev.url, key!, `/v1/models/${MODEL}/infer`, c, body));
  }
} finally {
  await dev.stop();
  rmSync(STATE, { recursive: true, force: true });
}

const ratio = points.infer.map((p, i) => ({ concurrency: p.concurrency, inferOverHealthz: p.reqPerSec / points.healthz[i]!.reqPerSec }));
const asSummary = (p: Point): Summary => ({ n: Math.round(p.reqPerSec * SECONDS), ...p.latency, mean: NaN, min: NaN, max: NaN });
printTable(
  'latency by concurrency',
  Object.fromEntries([
    ...points.healthz.map((p) => [`healthz ×${p.concurrency}`, asSummary(p)]),
    ...points.infer.map((p) => [`infer ×${p.concurrency}`, asSummary(p)]),
  ]),
);
console.table(ratio.map((r, i) => ({ ...r, healthz: points.healthz[i]!.reqPerSec, infer: points.infer[i]!.reqPerSec })));
console.log({ coldStart: { fromR2, fromCache } });
console.log(
  `wrote ${writeResult('throughput', { quick, seconds: SECONDS, model: MODEL, points, ratio, coldStart: { fromR2, fromCache } })}`,
);

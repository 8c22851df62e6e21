// Soak (issue 11): 300,000 mixed requests (texts of 1–40 words, task subsets, both demo
// models, an inline batch every 500th request) at concurrency 16 against wrangler dev, in
// three phases after a warm-up. After each phase, with the load stopped: the isolate's JS
// heap after a forced GC (the inspector's Runtime.getHeapUsage), the WASM heap (/readyz),
// the workerd process's RSS, the local D1 file's size, and usage rows against requests
// served. Then a /healthz-only phase, to see what RSS gives back when inference stops.
// Bounded: 300,000 requests (30,000 with --quick, or --requests=N), 40 minutes a phase.
//   node bench/soak.ts [--quick | --requests=N]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../models/random.ts';
import {
  BENCH_VARS,
  type Inspector,
  type Outcome,
  openInspector,
  ordinaryRequest,
  runLanes,
  seedState,
  settledUsageRows,
  textPool,
  timedPost,
  workerdRssBytes,
} from './lib/load.ts';
import { summarize, writeResult } from './lib/stats.ts';
import { startDev } from './lib/wrangler-dev.ts';

const quick = process.argv.includes('--quick');
const asked = Number(process.argv.find((a) => a.startsWith('--requests='))?.slice('--requests='.length));
const TOTAL = asked > 0 ? asked : quick ? 30_000 : 300_000;
const WARM_UP = Math.min(10_000, Math.round(TOTAL / 10));
const PHASES = 3;
const CONCURRENCY = 16;
const PHASE_MS = 40 * 60_000;
const STATE = 'bench/.state-soak';
const TENANTS = ['soak-a', 'soak-b', 'soak-c', 'soak-d'];
const MB = 1 << 20;

const keys = await seedState(STATE, TENANTS);
const texts = textPool();
// the limiters off, as in the measurement: this looks for leaks, not limits
const dev = await startDev(STATE, { ...BENCH_VARS, RATE_LIMITS: 'off' });
const rnd = seededRandom(21);

/** Bytes of the local D1 database files (SQLite, in workerd's process). */
function d1Bytes(): number {
  const dir = join(STATE, 'v3', 'd1');
  let total = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else total += statSync(join(d, e.name)).size;
    }
  };
  walk(dir);
  return total;
}

let served = 0; // authenticated requests answered: one usage row each
let batches = 0; // batches started: one more row for their one chunk
function request(lane: number, i: number): Promise<Outcome> {
  const key = keys[TENANTS[lane % TENANTS.length]!]!;
  const done = (o: Outcome) => {
    if (o.status < 500) served++;
    return o;
  };
  if (i % 500 === 499) {
    const inputs = Array.from({ length: 50 }, () => texts[Math.floor(rnd() * texts.length)]!);
    return timedPost(`${dev.url}/v1/batches`, key, JSON.stringify({ model: 'senteval-merged', inputs }))
      .then((o) => {
        if (o.status === 202) batches++;
        return o;
      })
      .then(done);
  }
  const req = ordinaryRequest(rnd, texts);
  return timedPost(`${dev.url}${req.path}`, key, req.body).then(done);
}

let inspector: Inspector | undefined;
async function snapshot(label: string, requests: number) {
  await new Promise((r) => setTimeout(r, 3_000)); // queues drain, timers fire
  const usage = await settledUsageRows(dev.url, TENANTS);
  const ready = (await (await fetch(`${dev.url}/readyz`)).json()) as { sessions: { wasm_heap_bytes: number } };
  const rssMb = workerdRssBytes(dev.proc.pid!) / MB;
  inspector ??= await openInspector(dev.inspectorPort); // one session for the whole run
  const heap = await inspector.heapAfterGc();
  const row = {
    label,
    requests,
    js_heap_used_mb: heap.usedBytes / MB,
    js_heap_total_mb: heap.totalBytes / MB,
    wasm_heap_mb: ready.sessions.wasm_heap_bytes / MB,
    workerd_rss_mb: rssMb, // read before the heap snapshot, which itself takes memory
    d1_file_mb: d1Bytes() / MB,
    requests_served: served,
    batches_started: batches,
    // one row per request served and one per batch chunk (each batch here is one chunk)
    usage_rows: Object.values(usage).reduce((a, b) => a + b, 0),
  };
  console.log(JSON.stringify(row));
  return row;
}

try {
  const snapshots = [];
  const latencies: Record<string, ReturnType<typeof summarize>> = {};
  const statuses: Record<number, number> = {};
  let done = 0;
  const throughput: Record<string, number> = {};
  const run = async (count: number, label: string) => {
    const started = performance.now();
    const { outcomes, timedOut } = await runLanes(CONCURRENCY, count, request, Date.now() + PHASE_MS);
    throughput[label] = outcomes.flat().length / ((performance.now() - started) / 1000);
    const flat = outcomes.flat();
    for (const o of flat) statuses[o.status] = (statuses[o.status] ?? 0) + 1;
    latencies[label] = summarize(flat.map((o) => o.ms));
    done += flat.length;
    if (timedOut) throw new Error(`${label} ran past ${PHASE_MS / 60_000} minutes`);
  };
  await run(WARM_UP, 'warm-up');
  snapshots.push(await snapshot('after warm-up', done));
  for (let p = 1; p <= PHASES; p++) {
    await run(Math.floor((TOTAL - WARM_UP) / PHASES), `phase ${p}`);
    snapshots.push(await snapshot(`after phase ${p}`, done));
  }
  // what the process gives back with inference stopped
  const health = await runLanes(
    CONCURRENCY,
    Math.max(1_000, Math.round(TOTAL / 10)),
    () =>
      fetch(`${dev.url}/healthz`)
        .then((r) => r.arrayBuffer())
        .then(() => ({ ms: 0, status: 200 })),
    Date.now() + PHASE_MS,
  );
  snapshots.push(await snapshot('after /healthz only', done + health.outcomes.flat().length));

  const first = snapshots[0]!;
  const last = snapshots[PHASES]!;
  const byOperation = await (
    await fetch(`${dev.url}/v1/admin/usage?group_by=operation`, { headers: { authorization: `Bearer ${BENCH_VARS.ADMIN_TOKEN}` } })
  ).json();
  const summary = {
    requests: done,
    concurrency: CONCURRENCY,
    server_errors: Object.entries(statuses)
      .filter(([s]) => Number(s) >= 500)
      .reduce((a, [, n]) => a + n, 0),
    js_heap_growth_after_warm_up_mb: last.js_heap_used_mb - first.js_heap_used_mb,
    wasm_heap_growth_after_warm_up_mb: last.wasm_heap_mb - first.wasm_heap_mb,
    rss_growth_after_warm_up_mb: last.workerd_rss_mb - first.workerd_rss_mb,
    d1_growth_after_warm_up_mb: last.d1_file_mb - first.d1_file_mb,
    usage_rows_equal_requests: snapshots.every((s) => s.usage_rows === s.requests_served + s.batches_started),
  };
  console.table(snapshots);
  console.log('requests a second', throughput);
  console.log('\nsummary', summary);
  console.log(
    `wrote ${writeResult('soak', { quick, latencies, throughput_per_s: throughput, statuses, snapshots, usage_by_operation: byOperation, summary })}`,
  );
} finally {
  inspector?.close();
  await dev.stop();
}

// Load test with a hostile tenant (issue 11): 10,000 requests at concurrency 32 across three
// tenants against wrangler dev, one tenant sending the most expensive requests the limits
// allow (64 texts of 4,000 characters, every task), over-limit bodies and a 30 MB one-line
// batch file. Beside it, in the same run, a baseline: the two ordinary tenants' identical
// workload with the hostile tenant idle. Reported: the ordinary tenants' latency and 5xx,
// the hostile tenant's answers, /healthz throughout. Bounded: 10,000 requests (fewer with
// --quick) and 8 minutes a phase.
//   node bench/hostile.ts [--quick]
import { seededRandom } from '../models/random.ts';
import { BENCH_VARS, type Outcome, ordinaryRequest, runLanes, seedState, textPool, timedPost } from './lib/load.ts';
import { printTable, summarize, writeResult } from './lib/stats.ts';
import { startDev } from './lib/wrangler-dev.ts';

const quick = process.argv.includes('--quick');
const TOTAL = quick ? 2_000 : 10_000;
const CONCURRENCY = 32;
const HOSTILE_LANES = 11; // a third of the lanes
const CALM_LANES = CONCURRENCY - HOSTILE_LANES;
const CALM_COUNT = Math.round((TOTAL * CALM_LANES) / CONCURRENCY);
const HOSTILE_COUNT = TOTAL - CALM_COUNT;
const PHASE_MS = 8 * 60_000;
const STATE = 'bench/.state-hostile';
const TENANTS = ['calm-a', 'calm-b', 'hostile'];

const keys = await seedState(STATE, TENANTS);
const texts = textPool();
const dev = await startDev(STATE, BENCH_VARS);

const longText = (rnd: () => number) => {
  const words: string[] = [];
  for (let n = 0; n < 3990; ) {
    const w = texts[Math.floor(rnd() * texts.length)]!.split(' ')[0]!;
    words.push(w);
    n += w.length + 1;
  }
  return words.join(' ').slice(0, 4000);
};

/** The hostile tenant's repertoire, in turn. */
function hostileRequest(rnd: () => number, i: number): () => Promise<Outcome> {
  const key = keys.hostile!;
  const infer = `${dev.url}/v1/models/senteval-multitask/infer`;
  switch (i % 10) {
    case 7: // a body just over MAX_BODY_BYTES
      return () => timedPost(infer, key, JSON.stringify({ inputs: ['x'.repeat(1 << 20)] }));
    case 8: // one input over MAX_INPUTS
      return () => timedPost(infer, key, JSON.stringify({ inputs: Array(65).fill('x') }));
    default: // the dearest request the limits allow
      return () => timedPost(infer, key, JSON.stringify({ inputs: Array.from({ length: 64 }, () => longText(rnd)) }));
  }
}

/** A 30 MB file of one line, uploaded and started as a batch (twice a run). */
async function hugeBatch(): Promise<Outcome[]> {
  const file = await fetch(`${dev.url}/v1/files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keys.hostile}`, 'content-type': 'application/x-ndjson' },
    body: `{"input":"${'x'.repeat(30 << 20)}"}`,
  });
  const { id } = (await file.json()) as { id: string };
  const batch = await timedPost(`${dev.url}/v1/batches`, keys.hostile!, JSON.stringify({ model: 'senteval-multitask', input_file: id }));
  return [{ ms: 0, status: file.status }, batch];
}

async function phase(withHostile: boolean) {
  const rnd = seededRandom(withHostile ? 1 : 2);
  const calmRnd = seededRandom(3); // the same ordinary requests in both phases
  const calm = (lane: number) => {
    const req = ordinaryRequest(calmRnd, texts);
    return timedPost(`${dev.url}${req.path}`, keys[lane % 2 ? 'calm-b' : 'calm-a']!, req.body);
  };
  let running = true;
  const health: number[] = [];
  const probe = (async () => {
    while (running) {
      const t = performance.now();
      await fetch(`${dev.url}/healthz`).then((r) => r.arrayBuffer());
      health.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const deadline = Date.now() + PHASE_MS;
  const started = performance.now();
  const [calmRun, hostileRun, batches] = await Promise.all([
    runLanes(CALM_LANES, CALM_COUNT, calm, deadline),
    withHostile ? runLanes(HOSTILE_LANES, HOSTILE_COUNT, (_, i) => hostileRequest(rnd, i)(), deadline) : undefined,
    withHostile ? Promise.all([hugeBatch(), new Promise((r) => setTimeout(r, 5_000)).then(hugeBatch)]) : undefined,
  ]);
  const seconds = (performance.now() - started) / 1000;
  running = false;
  await probe;
  const calmOutcomes = calmRun.outcomes.flat();
  const statuses = (o: Outcome[]) => {
    const counts: Record<number, number> = {};
    for (const x of o) counts[x.status] = (counts[x.status] ?? 0) + 1;
    return counts;
  };
  return {
    seconds,
    timed_out: calmRun.timedOut || Boolean(hostileRun?.timedOut),
    calm: {
      latency_ms: summarize(calmOutcomes.map((o) => o.ms)),
      statuses: statuses(calmOutcomes),
      server_errors: calmOutcomes.filter((o) => o.status >= 500).length,
    },
    hostile: hostileRun ? { statuses: statuses([...hostileRun.outcomes.flat(), ...(batches?.flat() ?? [])]) } : null,
    healthz_ms: summarize(health),
  };
}

try {
  // warm both models in the isolate first, so neither phase pays their cold start
  for (const model of ['senteval-multitask', 'senteval-merged'])
    await timedPost(`${dev.url}/v1/models/${model}/infer`, keys['calm-a']!, '{"inputs":["warm"]}');
  const baseline = await phase(false);
  const attacked = await phase(true);
  printTable('Ordinary tenants (ms)', {
    'without the hostile tenant': baseline.calm.latency_ms,
    'with the hostile tenant': attacked.calm.latency_ms,
  });
  printTable('/healthz during each phase (ms)', {
    'without the hostile tenant': baseline.healthz_ms,
    'with the hostile tenant': attacked.healthz_ms,
  });
  const summary = {
    requests: TOTAL,
    concurrency: CONCURRENCY,
    calm_p99_ms_without_hostile: baseline.calm.latency_ms.p99,
    calm_p99_ms_with_hostile: attacked.calm.latency_ms.p99,
    calm_p99_ratio: attacked.calm.latency_ms.p99 / baseline.calm.latency_ms.p99,
    calm_p50_ratio: attacked.calm.latency_ms.p50 / baseline.calm.latency_ms.p50,
    calm_server_errors_with_hostile: attacked.calm.server_errors,
    hostile_statuses: attacked.hostile?.statuses,
    healthz_p99_ms_with_hostile: attacked.healthz_ms.p99,
  };
  console.log('\nsummary', summary);
  console.log(`wrote ${writeResult('hostile', { quick, baseline, attacked, summary })}`);
} finally {
  await dev.stop();
}

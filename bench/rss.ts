// Whose is workerd's growing RSS? The soak saw `wrangler dev`'s resident memory climb
// while the isolate's JS heap (after GC) and WASM heap stayed flat. This alternates
// phases of /healthz only (no model, no D1, no queue: none of our code but routing) and
// of /infer (the demo model, usage rows through the queue into D1), with no inspector
// attached, and reads each workerd process's RSS after each phase. If RSS grows as much
// per request under /healthz as under /infer, the growth is not in what /infer adds; and
// a control, a Worker of three lines answering "ok" under the same `wrangler dev`, shows
// what workerd does with none of our code at all.
//   node bench/rss.ts [--quick]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { BENCH_VARS, seedState, workerdRssByProcess } from './lib/load.ts';
import { writeResult } from './lib/stats.ts';
import { type DevServer, startDev } from './lib/wrangler-dev.ts';

const quick = process.argv.includes('--quick');
const PER_PHASE = quick ? 5_000 : 20_000;
const STATE = 'bench/.state-rss';
const MODEL = 'senteval-multitask';
const MB = 1 << 20;
const BODY = JSON.stringify({ inputs: ['a gripping , beautifully shot film with a plot that never lets go of you'] });

/** RSS of each workerd process of one wrangler dev, in MB by pid. */
const rssByProcess = (group: number): Record<string, number> =>
  Object.fromEntries(Object.entries(workerdRssByProcess(group)).map(([pid, bytes]) => [`workerd ${pid}`, +(bytes / MB).toFixed(1)]));

interface Row {
  phase: string;
  requests: number;
  req_per_s: number;
  non2xx: number;
  rss_mb: Record<string, number>;
  total_mb: number;
}

/** Runs the phases against one `wrangler dev`; each phase is [name, path, body?]. */
async function measure(dev: DevServer, key: string, phases: [string, string, string?][]): Promise<Row[]> {
  const rows: Row[] = [];
  const read = (phase: string, requests: number, reqPerSec: number, non2xx: number) => {
    const rss = rssByProcess(dev.proc.pid!);
    const total = +Object.values(rss)
      .reduce((a, b) => a + b, 0)
      .toFixed(1);
    rows.push({ phase, requests, req_per_s: Math.round(reqPerSec), non2xx, rss_mb: rss, total_mb: total });
    console.log(`${phase.padEnd(18)} ${String(requests).padStart(6)} requests  ${total} MB  ${JSON.stringify(rss)}`);
  };
  read('start', 0, 0, 0);
  for (const [name, path, body] of phases) {
    const r = await autocannon({
      url: `${dev.url}${path}`,
      connections: 16,
      amount: PER_PHASE,
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body,
    });
    await new Promise((res) => setTimeout(res, 3_000)); // queues drain, timers fire
    read(name, r.requests.total, r.requests.average, r.non2xx + r.errors);
  }
  return rows;
}

/** RSS growth a request in each phase whose name starts with `kind`, in bytes. */
const growth = (rows: Row[], kind: string) =>
  rows.flatMap((r, i) =>
    i && r.phase.startsWith(kind) ? [Math.round(((r.total_mb - rows[i - 1]!.total_mb) * MB) / Math.max(1, r.requests))] : [],
  );

const { rss: key } = await seedState(STATE, ['rss']);
const dev = await startDev(STATE, { ...BENCH_VARS, RATE_LIMITS: 'off' });
let chimera: Row[];
try {
  const infer = `/v1/models/${MODEL}/infer`;
  await fetch(`${dev.url}${infer}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: BODY,
  });
  console.log('Chimera');
  chimera = await measure(dev, key!, [
    ['healthz 1', '/healthz'],
    ['infer 1', infer, BODY],
    ['healthz 2', '/healthz'],
    ['infer 2', infer, BODY],
    ['healthz 3', '/healthz'],
  ]);
} finally {
  await dev.stop();
  rmSync(STATE, { recursive: true, force: true });
}

const dir = mkdtempSync(join(tmpdir(), 'chimera-rss-control-'));
writeFileSync(join(dir, 'worker.js'), "export default { fetch: () => new Response('ok') };\n");
writeFileSync(join(dir, 'wrangler.toml'), 'name = "control"\nmain = "worker.js"\ncompatibility_date = "2026-06-01"\n');
const control = await startDev(join(dir, 'state'), {}, join(dir, 'wrangler.toml'));
let bare: Row[];
try {
  console.log('Control: a Worker that answers "ok"');
  bare = await measure(control, '', [
    ['ok 1', '/'],
    ['ok 2', '/'],
    ['ok 3', '/'],
  ]);
} finally {
  await control.stop();
  rmSync(dir, { recursive: true, force: true });
}

const summary = {
  bytes_per_request: {
    chimera_healthz: growth(chimera, 'healthz'),
    chimera_infer: growth(chimera, 'infer'),
    control_ok: growth(bare, 'ok'),
  },
  total_mb: { chimera_end: chimera.at(-1)!.total_mb, control_end: bare.at(-1)!.total_mb },
};
console.log('RSS growth, bytes a request, by phase', summary);
console.log(`wrote ${writeResult('rss', { quick, per_phase: PER_PHASE, chimera, control: bare, summary })}`);

// Serving benchmark: raw session.run vs the whole API over HTTP on the same model, in one
// run, plus cold start and isolate memory. `npm run bench` (add --quick for a short run).
import { execSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { DEMO_SHAPE, DEMO_TOKENIZER } from '../cli/commands/train-demo.ts';
import { demoPackages } from '../cli/demo-models.ts';
import { applyLocalMigrations, localPlatform } from '../cli/local.ts';
import { bootNodeBackend, packageStore } from '../cli/node-runtime.ts';
import { issueKey } from '../functions/domain/keys.ts';
import { PUBLIC_OWNER } from '../functions/domain/registry.ts';
import { ensureTenant } from '../functions/domain/tenants.ts';
import { publishPackage } from '../functions/domain/versions.ts';
import { fixturePackage } from '../models/multitask/fixture.ts';
import { infer, loadModel } from '../models/runtime.ts';
import { printTable, summarize, timeIt, writeResult } from './lib/stats.ts';
import { startDev } from './lib/wrangler-dev.ts';

const quick = process.argv.includes('--quick');
const N = quick ? 100 : 1000;
const STATE = 'bench/.state';
const TEXT = 'a gripping , beautifully shot film with a plot that never lets go';
const COLD_VERSIONS = quick ? 3 : 6;

// ---- raw session.run in onnxruntime-web's WASM (Node) ----------------------------
bootNodeBackend();
const demos = await demoPackages();
const subject = demos[0]!;
const local = await loadModel(packageStore(subject.pkg), subject.pkg.manifest);
const feeds = local.encode!([TEXT]).feeds;
await timeIt(100, () => local.session.run(feeds)); // warm up
const raw = await timeIt(N, () => local.session.run(feeds));
const inProcess = await timeIt(N, () => infer(local, [TEXT], Object.keys(subject.pkg.manifest.tasks)));

// ---- the API over HTTP, against wrangler dev ---------------------------------------
rmSync(STATE, { recursive: true, force: true });
applyLocalMigrations(STATE);
const platform = await localPlatform(STATE);
const tenant = await ensureTenant(platform.db, 'bench');
const { key } = await issueKey(platform.db, tenant, ['infer']);
for (const d of demos) await publishPackage(platform.db, platform.env.MODELS, d.pkg, { owner: PUBLIC_OWNER, model: d.name, alias: 'prod' });
const coldSizes: number[] = [];
for (let i = 0; i < COLD_VERSIONS; i++) {
  // fresh versions of the subject's shape, so each first request is a real cold start
  const pkg = await fixturePackage({ name: 'cold', seed: 1000 + i, shape: { vocab: DEMO_TOKENIZER.buckets, ...DEMO_SHAPE } });
  coldSizes.push(pkg.manifest.files.reduce((s, f) => s + f.bytes, 0));
  await publishPackage(platform.db, platform.env.MODELS, pkg, { owner: PUBLIC_OWNER, model: 'cold' });
}
await platform.dispose();

/** POSTs an infer request to the Worker at `base`. */
const poster = (base: string) => (model: string, body: unknown) =>
  fetch(`${base}/v1/models/${model}/infer`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (r) => {
    if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
    return r.json() as Promise<{ timing: { load_ms: number | null; total_ms: number } }>;
  });

const dev = await startDev(STATE);
try {
  const post = poster(dev.url);

  await timeIt(100, () => post(subject.name, { inputs: [TEXT] })); // warm up
  const health = await timeIt(N, () => fetch(`${dev.url}/healthz`).then((r) => r.arrayBuffer()));
  const serverSide: number[] = [];
  const http = await timeIt(N, async () => serverSide.push((await post(subject.name, { inputs: [TEXT] })).timing.total_ms));
  const http32 = await timeIt(Math.ceil(N / 4), () => post(subject.name, { inputs: Array(32).fill(TEXT) }));

  // the two demo models in one isolate, before the cold-start versions fill the cache
  const second = demos[1]!.name;
  await post(second, { inputs: [TEXT] });
  const ready = (await (await fetch(`${dev.url}/readyz`)).json()) as { sessions: { wasm_heap_bytes: number; used_bytes: number } };
  const workerdRss = Number(execSync('ps -o rss= -C workerd | awk "{s+=\\$1} END {print s}"').toString().trim()) * 1024;

  const cold: number[] = [];
  const coldLoad: number[] = [];
  for (let v = 1; v <= COLD_VERSIONS; v++) {
    const t = performance.now();
    const body = await post('cold', { inputs: [TEXT], version: v });
    cold.push(performance.now() - t);
    coldLoad.push(body.timing.load_ms ?? NaN);
  }

  // the same requests with the rate limiters off: in wrangler dev each limiter call is an
  // RPC to Miniflare's simulator (about 1.5 ms), where production keeps the counters local
  await dev.stop();
  const bare = await startDev(STATE, { RATE_LIMITS: 'off' });
  const bareServer: number[] = [];
  const bareHttp = await (async () => {
    const postBare = () => poster(bare.url)(subject.name, { inputs: [TEXT] });
    await timeIt(100, postBare);
    const out = await timeIt(N, async () => bareServer.push((await postBare()).timing.total_ms));
    await bare.stop();
    return out;
  })();

  const table = {
    'raw session.run (ORT-web WASM, Node)': summarize(raw),
    'infer() in process (tokenize+run+post)': summarize(inProcess),
    'Worker-side total_ms, 1 input (auth→response)': summarize(serverSide),
    'Worker-side total_ms, rate limits off': summarize(bareServer),
    'HTTP /healthz (transport floor)': summarize(health),
    'HTTP infer, 1 input, rate limits off': summarize(bareHttp),
    'HTTP infer, 1 input': summarize(http),
    'HTTP infer, 32 inputs': summarize(http32),
    'cold start: first request of a version': summarize(cold),
    'cold start: load_ms reported by the Worker': summarize(coldLoad),
  };
  printTable(`Serving ${subject.name} (${quick ? 'quick' : 'full'} run)`, table);
  const rawP50 = table['raw session.run (ORT-web WASM, Node)'].p50;
  const summary = {
    // our code's overhead: what the Worker spends around session.run (auth, validation,
    // resolution, tokenizing, post-processing, JSON), measured inside the Worker
    api_overhead_in_worker_p50_ms: table['Worker-side total_ms, 1 input (auth→response)'].p50 - rawP50,
    // the same over HTTP, less what wrangler dev's proxy costs for a route that does nothing
    api_overhead_over_transport_p50_ms: table['HTTP infer, 1 input'].p50 - table['HTTP /healthz (transport floor)'].p50 - rawP50,
    api_overhead_in_worker_rate_limits_off_p50_ms: table['Worker-side total_ms, rate limits off'].p50 - rawP50,
    api_overhead_over_transport_rate_limits_off_p50_ms:
      table['HTTP infer, 1 input, rate limits off'].p50 - table['HTTP /healthz (transport floor)'].p50 - rawP50,
    http_over_raw_p50_ratio: table['HTTP infer, 1 input'].p50 / rawP50,
    cold_start_p50_ms: table['cold start: first request of a version'].p50,
    cold_model_bytes: Math.max(...coldSizes),
    wasm_heap_bytes_two_models: ready.sessions.wasm_heap_bytes,
    session_budget_used_bytes: ready.sessions.used_bytes,
    workerd_rss_bytes_all_workers: workerdRss,
  };
  console.log('\nsummary', summary);
  console.log(`wrote ${writeResult('serving', { model: subject.name, quick, table, summary })}`);
} finally {
  await dev.stop();
}

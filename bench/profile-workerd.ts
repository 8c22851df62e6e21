// Where a request's CPU goes inside workerd, not in Node: `wrangler dev` with an
// unminified bundle and the rate limiters off, the demo model (one 13-word input, all
// six tasks) under autocannon, sampled by V8's profiler through wrangler's inspector.
// Each frame is placed by the module esbuild's bundle comment names above its line, so
// self time reads by layer and package. Writes bench/results/profile-workerd.json.
//   node bench/profile-workerd.ts [--quick] [--path=/healthz] [--save=FILE.cpuprofile]
// (--save keeps the raw profile, for Chrome DevTools' Performance panel)

import { rmSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { type CallFrame, type CpuProfile, type Places, placeOf, selfTime } from './lib/cpu-profile.ts';
import { BENCH_VARS, seedState } from './lib/load.ts';
import { writeResult } from './lib/stats.ts';
import { startDev } from './lib/wrangler-dev.ts';

const quick = process.argv.includes('--quick');
const SECONDS = quick ? 4 : 10;
const CONCURRENCY = 8;
const STATE = 'bench/.state-profile-workerd';
const path = process.argv.find((a) => a.startsWith('--path='))?.slice(7) ?? '/v1/models/senteval-multitask/infer';
const BODY = JSON.stringify({
  inputs: ['a gripping , beautifully shot film with a plot that never lets go of you'],
  tasks: ['cr', 'cola', 'mpqa', 'mr', 'sst2', 'subj'],
});

/** A Chrome DevTools Protocol client over the inspector's WebSocket. */
async function devtools(port: number) {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { webSocketDebuggerUrl: string }[];
  // wrangler's inspector proxy admits pages of localhost only (Node's WebSocket takes
  // headers as an extension of the standard's options)
  const ws = new WebSocket(targets[0]!.webSocketDebuggerUrl, { headers: { origin: 'http://localhost' } } as unknown as string[]);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let next = 1;
  const waiting = new Map<number, { resolve: (result: unknown) => void; reject: (e: Error) => void }>();
  ws.onmessage = (e) => {
    const msg = JSON.parse(String(e.data)) as { id?: number; result?: unknown; error?: unknown };
    const waiter = msg.id === undefined ? undefined : waiting.get(msg.id);
    if (msg.error) waiter?.reject(new Error(JSON.stringify(msg.error)));
    else waiter?.resolve(msg.result);
  };
  return {
    send: <T>(method: string, params: object = {}): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        const id = next++;
        waiting.set(id, { resolve: resolve as (r: unknown) => void, reject });
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

/** Where a bundle line's code came from: esbuild writes `// path` above each module. */
function moduleIndex(source: string): (line: number) => string {
  const starts: [number, string][] = [];
  for (const [i, line] of source.split('\n').entries()) {
    const m = /^\/\/ (\S+\.(?:[cm]?[jt]s|json|wasm))$/.exec(line);
    if (m) starts.push([i, m[1]!]);
  }
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = '(bundle prelude)';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]![0] <= line) {
        found = starts[mid]![1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

/** what only `wrangler dev` adds: its middleware around the Worker */
const WORKERD_PLACES: Places = [[/node_modules\/wrangler|miniflare|\.wrangler\//, 'wrangler dev shims']];

const { bench: key } = await seedState(STATE, ['bench']);
const dev = await startDev(STATE, { ...BENCH_VARS, RATE_LIMITS: 'off' }, undefined, ['--no-minify']);
const load = (seconds: number) =>
  autocannon({
    url: `${dev.url}${path}`,
    connections: CONCURRENCY,
    duration: seconds,
    method: path.endsWith('/infer') ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: path.endsWith('/infer') ? BODY : undefined,
  });
let profile: CpuProfile;
let served: number;
const sources = new Map<string, (line: number) => string>();
try {
  await load(2); // load the model, fill the caches, warm the JIT
  const cdp = await devtools(dev.inspectorPort);
  await cdp.send('Debugger.enable');
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const result = await load(SECONDS);
  served = result.requests.total;
  ({ profile } = await cdp.send<{ profile: CpuProfile }>('Profiler.stop'));
  for (const id of new Set(profile.nodes.map((n) => n.callFrame.scriptId))) {
    if (Number(id) <= 0) continue; // V8's own frames: (program), (garbage collector)
    const { scriptSource } = await cdp.send<{ scriptSource: string }>('Debugger.getScriptSource', { scriptId: id });
    sources.set(id, moduleIndex(scriptSource));
  }
  cdp.close();
} finally {
  await dev.stop();
  rmSync(STATE, { recursive: true, force: true });
}

const save = process.argv.find((a) => a.startsWith('--save='))?.slice(7);
if (save) writeFileSync(save, JSON.stringify(profile));
const moduleOf = (f: CallFrame) =>
  Number(f.scriptId) <= 0 || !f.url
    ? ''
    : f.url.startsWith('wasm://')
      ? 'onnxruntime-web (WebAssembly)'
      : (sources.get(f.scriptId)?.(f.lineNumber) ?? f.url);
const {
  busyMs: busy,
  selfTimeByPlace,
  hottest,
} = selfTime(
  profile,
  served,
  (f) => placeOf(moduleOf(f), f.functionName, WORKERD_PLACES),
  (f) => {
    const module = moduleOf(f);
    return `${f.functionName || '(anonymous)'} ${module.replace(/^.*node_modules\//, '')}${module.startsWith('(') ? `:${f.lineNumber}` : ''}`;
  },
  Number(process.env.TOP ?? 30),
);
const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
// inclusive time of our own functions (a function counted once per sample however deep
// it recurses): what a whole step costs, the model run or the key check included
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map<string, number>();
for (const [i, id] of profile.samples.entries()) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const f = frames.get(at)!;
    const module = moduleOf(f);
    if (!/^(functions|models|schemas)\//.test(module)) continue;
    const fn = `${f.functionName || '(anonymous)'} ${module}`;
    if (seen.has(fn)) continue;
    seen.add(fn);
    inclusive.set(fn, (inclusive.get(fn) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
}
const ourSteps = [...inclusive]
  .sort((a, b) => b[1] - a[1])
  .slice(0, 25)
  .map(([fn, ms]) => ({ fn, 'ms per request, inclusive': +(ms / served).toFixed(4) }));
console.table(selfTimeByPlace);
console.table(hottest);
console.table(ourSteps);
console.log(`${served} requests to ${path} at concurrency ${CONCURRENCY}: ${(busy / served).toFixed(3)} ms busy in the isolate each`);
console.log(
  `wrote ${writeResult(path.endsWith('/infer') ? 'profile-workerd' : 'profile-workerd-healthz', { quick, path, concurrency: CONCURRENCY, seconds: SECONDS, requests: served, busyMsPerRequest: busy / served, selfTimeByPlace, hottest, ourSteps })}`,
);

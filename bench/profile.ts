// Where a request's CPU goes: the Worker's own Hono app driven in Node (the same code
// workerd runs; D1, R2 and Queues through wrangler's platform proxy), the demo model,
// one 13-word input, all six tasks, under V8's sampling profiler. Prints self time by
// where the code lives (our layers, zod, hono, drizzle, onnxruntime-web, the platform
// proxy) and writes bench/results/profile.json.
//   node bench/profile.ts [--quick]

import { rmSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { localPlatform } from '../cli/local.ts';
import { bootNodeBackend } from '../cli/node-runtime.ts';
import { createApp } from '../functions/http/app.ts';
import { type CpuProfile, type Places, placeOf, selfTime } from './lib/cpu-profile.ts';
import { BENCH_VARS, seedState } from './lib/load.ts';
import { summarize, writeResult } from './lib/stats.ts';

const quick = process.argv.includes('--quick');
/** what only Node has: the platform proxy to wrangler's simulators, and Node itself */
const NODE_PLACES: Places = [
  [/node_modules\/(wrangler|miniflare|undici|capnp|ws)/, 'platform proxy (Node only)'],
  [/^node:/, 'Node internals'],
];
const N = quick ? 1000 : 5000;
const STATE = 'bench/.state-profile';
const BODY = JSON.stringify({
  inputs: ['a gripping , beautifully shot film with a plot that never lets go of you'],
  tasks: ['cr', 'cola', 'mpqa', 'mr', 'sst2', 'subj'],
});

const { bench: key } = await seedState(STATE, ['bench']);
const platform = await localPlatform(STATE);
bootNodeBackend();
/** Counts each binding method's calls, to see what a warm request asks of the platform. */
const calls = new Map<string, number>();
const counted = <T extends object>(name: string, target: T): T =>
  new Proxy(target, {
    get(t, prop, receiver) {
      const value = Reflect.get(t, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(`${name}.${String(prop)}`, (calls.get(`${name}.${String(prop)}`) ?? 0) + 1);
        return value.apply(t, args);
      };
    },
  });
const bindings = Object.fromEntries(
  Object.entries(platform.env).map(([k, v]) => [k, v && typeof v === 'object' ? counted(k, v as object) : v]),
);
const env = { ...bindings, ...BENCH_VARS, RATE_LIMITS: 'off' } as unknown as Env;
const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
const app = createApp();
const infer = async () => {
  const res = await app.fetch(
    new Request('http://chimera.local/v1/models/senteval-multitask/infer', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: BODY,
    }),
    env,
    ctx,
  );
  if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
  await res.arrayBuffer();
};
for (let i = 0; i < 200; i++) await infer(); // load the model, fill the caches, warm the JIT

calls.clear();
const inspector = new Session();
inspector.connect();
await inspector.post('Profiler.enable');
await inspector.post('Profiler.setSamplingInterval', { interval: 100 });
await inspector.post('Profiler.start');
const times: number[] = [];
for (let i = 0; i < N; i++) {
  const t = performance.now();
  await infer();
  times.push(performance.now() - t);
  // a server goes back to its event loop between requests: timers (the usage window's
  // send) fire there, and a loop of awaits that settle at once would never let them
  await new Promise((resolve) => setImmediate(resolve));
}
const { profile } = (await inspector.post('Profiler.stop')) as { profile: CpuProfile };
const bindingCalls = Object.fromEntries([...calls].map(([k, v]) => [k, +(v / N).toFixed(3)]));
inspector.disconnect();
await platform.dispose();
rmSync(STATE, { recursive: true, force: true });

const { selfTimeByPlace: rows, hottest } = selfTime(
  profile,
  N,
  (f) => placeOf(f.url, f.functionName, NODE_PLACES),
  (f) => `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|work\/main)\//, '')}`,
);
console.table(rows);
console.table(hottest);
console.log('binding calls per warm request', bindingCalls);
const latency = summarize(times);
console.log(`per request in Node: p50 ${latency.p50.toFixed(3)} ms, p99 ${latency.p99.toFixed(3)} ms`);
console.log(
  `wrote ${writeResult('profile', { quick, n: N, latency, bindingCallsPerRequest: bindingCalls, selfTimeByPlace: rows, hottest })}`,
);

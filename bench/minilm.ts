// A MiniLM-L6-shaped encoder (6 layers, hidden 384, 12 heads, 30k vocabulary; random
// weights, exported by the real exporter: tools/fixtures/minilm.py) imported, quantized
// and served by the Worker under `wrangler dev`: its int8 heap, cold start, and model
// time at 16, 64 and 128 tokens for batches of 1 and 8, beside onnxruntime-node (native,
// one thread) and onnxruntime-web's WASM in Node on the same int8 file, in one run.
//   /work/venv-hf/bin/python tools/fixtures/minilm.py artifacts/minilm   (once)
//   node bench/minilm.ts [--quick]
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { applyLocalMigrations, localPlatform } from '../cli/local.ts';
import { bootNodeBackend, packageStore } from '../cli/node-runtime.ts';
import { writePackageDir } from '../cli/package-dir.ts';
import { issueKey } from '../functions/domain/keys.ts';
import { PUBLIC_OWNER } from '../functions/domain/registry.ts';
import { ensureTenant } from '../functions/domain/tenants.ts';
import { publishPackage } from '../functions/domain/versions.ts';
import { importHfExport } from '../models/import/hf-export.ts';
import { quantizePackage } from '../models/quantize/package.ts';
import { loadModel } from '../models/runtime.ts';
import { nativeSession } from './lib/native.ts';
import { printTable, type Summary, summarize, timeIt, writeResult } from './lib/stats.ts';
import { startDev } from './lib/wrangler-dev.ts';

const SOURCE = 'artifacts/minilm/embed';
const STATE = 'bench/.state-minilm';
const quick = process.argv.includes('--quick');
const N = quick ? 10 : 40;
const LENGTHS = [16, 64, 128];
const BATCHES = [1, 8];
if (!existsSync(join(SOURCE, 'model.onnx'))) {
  console.error(`${SOURCE} is missing: run tools/fixtures/minilm.py first (see tools/fixtures/README.md)`);
  process.exit(1);
}

// ---- the package: imported, int8, on disk for the native peer -----------------------
const files = Object.fromEntries(readdirSync(SOURCE).map((f) => [f, new Uint8Array(readFileSync(join(SOURCE, f)))]));
const fp32 = await importHfExport(files, { name: 'minilm', maxTokens: 128 });
const int8 = await quantizePackage(fp32);
rmSync(STATE, { recursive: true, force: true });
writePackageDir(join(STATE, 'pkg'), int8);
const size = (p: typeof int8) => Object.values(p.files).reduce((s, b) => s + b.length, 0);

// texts of exactly `length` tokens ([CLS] … [SEP] included)
bootNodeBackend();
const local = await loadModel(packageStore(int8), int8.manifest);
const textOf = (length: number) => {
  const words = Array.from({ length: length - 2 }, () => 'film');
  const tokens = local.encode!.tokenize([words.join(' ')])[0]!.ids.length;
  if (tokens !== length) throw new Error(`a text of ${length - 2} words took ${tokens} tokens`);
  return words.join(' ');
};
const points = LENGTHS.flatMap((length) =>
  BATCHES.map((batch) => ({ length, batch, texts: Array.from({ length: batch }, () => textOf(length)) })),
);
const label = (p: { length: number; batch: number }) => `${p.length} tokens × ${p.batch}`;

// ---- the peers in Node: native onnxruntime and onnxruntime-web's WASM ------------------
const native = await nativeSession(join(STATE, 'pkg', 'model.onnx'));
const nativeMs: Record<string, Summary> = {};
const wasmMs: Record<string, Summary> = {};
for (const p of points) {
  const feeds = local.encode!(p.texts).feeds;
  await timeIt(3, () => native.run(feeds)); // warm
  nativeMs[label(p)] = summarize(await timeIt(N, () => native.run(feeds)));
  await timeIt(3, () => local.session.run(feeds));
  wasmMs[label(p)] = summarize(await timeIt(N, () => local.session.run(feeds)));
}
await local.release();

// ---- the Worker under wrangler dev ---------------------------------------------------
applyLocalMigrations(STATE);
const platform = await localPlatform(STATE);
const { key } = await issueKey(platform.db, await ensureTenant(platform.db, 'bench'), ['infer']);
await publishPackage(platform.db, platform.env.MODELS, int8, { owner: PUBLIC_OWNER, model: 'minilm', alias: 'prod' });
await platform.dispose();
const dev = await startDev(STATE, { RATE_LIMITS: 'off' });
const post = async (inputs: string[]) => {
  const res = await fetch(`${dev.url}/v1/models/minilm/infer`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ inputs }),
  });
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  return (await res.json()) as { timing: { total_ms: number; run_ms: number; load_ms: number | null } };
};
const heap = async () =>
  ((await (await fetch(`${dev.url}/readyz`)).json()) as { sessions: { wasm_heap_bytes: number } }).sessions.wasm_heap_bytes;
const heapBefore = await heap();
const t = performance.now();
const cold = await post([textOf(16)]);
const coldWallMs = performance.now() - t;
const workerRun: Record<string, Summary> = {};
const workerWall: Record<string, Summary> = {};
for (const p of points) {
  for (let i = 0; i < 3; i++) await post(p.texts);
  const runs: number[] = [];
  workerWall[label(p)] = summarize(await timeIt(N, async () => runs.push((await post(p.texts)).timing.run_ms)));
  workerRun[label(p)] = summarize(runs);
}
const heapAfter = await heap();
await dev.stop();

printTable('onnxruntime-node, native, one thread (session.run)', nativeMs);
printTable('onnxruntime-web WASM in Node (session.run)', wasmMs);
printTable('the Worker under wrangler dev: model time (timing.run_ms)', workerRun);
printTable('the Worker under wrangler dev: whole request over HTTP', workerWall);
const ratios = Object.fromEntries(points.map((p) => [label(p), +(workerRun[label(p)]!.p50 / nativeMs[label(p)]!.p50).toFixed(2)]));
console.log('\nWorker model time ÷ native, p50:', ratios);
const MiB = 2 ** 20;
const summary = {
  package: { fp32MiB: size(fp32) / MiB, int8MiB: size(int8) / MiB, maxTokens: 128 },
  heap: { beforeMiB: heapBefore / MiB, afterLoadAndRunsMiB: heapAfter / MiB },
  coldStart: { wallMs: coldWallMs, loadMs: cold.timing.load_ms, totalMs: cold.timing.total_ms },
};
console.log(summary);
console.log(
  `wrote ${writeResult('minilm', { quick, n: N, ...summary, nativeMs, wasmMs, workerRunMs: workerRun, workerWallMs: workerWall, workerOverNative: ratios })}`,
);

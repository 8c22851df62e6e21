// Micro-batching on the MiniLM-shaped encoder (see bench/minilm.ts for the model), in
// float: int8 packages are never batched (their activations take one quantization scale
// per run, so a shared run would change each row's answer; models/runtime.ts). The float
// model's 87 MiB is over the Worker's session budget, so this run raises the budget: it
// measures what batching gains on a model whose runs are slow, not a deployable setup.
// The Worker under `wrangler dev` with MICRO_BATCH=off and =on, autocannon at concurrency
// 32, one text a request, short (16 tokens) and longer (64 tokens): items/s and
// latency percentiles, and on ÷ off in the same run; the model's own time per row in
// runs of 1 to 28 rows (what batching can gain at most); at 16 tokens also the same
// request answered by the opt-in response cache.
//   node bench/microbatch.ts [--quick]

import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { applyLocalMigrations, localPlatform } from '../cli/local.ts';
import { issueKey } from '../functions/domain/keys.ts';
import { PUBLIC_OWNER } from '../functions/domain/registry.ts';
import { ensureTenant } from '../functions/domain/tenants.ts';
import { publishPackage } from '../functions/domain/versions.ts';
import { importHfExport } from '../models/import/hf-export.ts';
import { BENCH_VARS } from './lib/load.ts';
import { writeResult } from './lib/stats.ts';
import { startDev } from './lib/wrangler-dev.ts';

const SOURCE = 'artifacts/minilm/embed';
const STATE = 'bench/.state-microbatch';
const quick = process.argv.includes('--quick');
const SECONDS = quick ? 4 : 10;
const CONCURRENCY = 32;
if (!existsSync(join(SOURCE, 'model.onnx'))) {
  console.error(`${SOURCE} is missing: run tools/fixtures/minilm.py first (see tools/fixtures/README.md)`);
  process.exit(1);
}

const files = Object.fromEntries(readdirSync(SOURCE).map((f) => [f, new Uint8Array(readFileSync(join(SOURCE, f)))]));
const fp32 = await importHfExport(files, { name: 'minilm', maxTokens: 128 });
rmSync(STATE, { recursive: true, force: true });
applyLocalMigrations(STATE);
const platform = await localPlatform(STATE);
const { key } = await issueKey(platform.db, await ensureTenant(platform.db, 'bench'), ['infer']);
await publishPackage(platform.db, platform.env.MODELS, fp32, { owner: PUBLIC_OWNER, model: 'minilm', alias: 'prod' });
await platform.dispose();

const text = (tokens: number) => Array.from({ length: tokens - 2 }, () => 'film').join(' '); // "film" is one token
// cached: batching off, every request the same pinned one with Cache-Control: max-age
// (the opt-in response cache), so all but the first are answered from the Cache API
const run = async (mode: 'off' | 'on' | 'cached', tokens: number) => {
  const dev = await startDev(STATE, {
    ...BENCH_VARS,
    RATE_LIMITS: 'off',
    MICRO_BATCH: mode === 'on' ? 'on' : 'off',
    SESSION_BUDGET_MB: '256',
  });
  try {
    const cached = mode === 'cached';
    const opts = {
      url: `${dev.url}/v1/models/minilm/infer`,
      method: 'POST' as const,
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        ...(cached ? { 'cache-control': 'max-age=86400' } : {}),
      },
      body: JSON.stringify({ inputs: [text(tokens)], ...(cached ? { version: 1 } : {}) }),
      connections: CONCURRENCY,
    };
    await autocannon({ ...opts, duration: 2 }); // load and warm the model
    const r = await autocannon({ ...opts, duration: SECONDS });
    return {
      itemsPerSec: r.requests.average,
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      non2xx: r.non2xx + r.errors,
      ...(mode === 'off' ? { runMsPerRow: await runMsPerRow(opts.url, opts.headers, tokens) } : {}),
    };
  } finally {
    await dev.stop();
  }
};

/** What batching can gain at most: one request of n texts at a time, the model's own
 * time for its one run (timing.run_ms, median of 7) per row, for runs of 1 to 28 rows. */
async function runMsPerRow(url: string, headers: Record<string, string>, tokens: number): Promise<Record<number, number>> {
  const perRow: Record<number, number> = {};
  for (const rows of [1, 2, 4, 8, 16, 28]) {
    const ms: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ inputs: Array(rows).fill(text(tokens)) }) });
      ms.push(((await res.json()) as { timing: { run_ms: number } }).timing.run_ms);
    }
    perRow[rows] = +(ms.sort((a, b) => a - b)[3]! / rows).toFixed(2);
  }
  return perRow;
}

const points = [];
for (const tokens of [16, 64]) {
  const off = await run('off', tokens);
  const on = await run('on', tokens);
  const cached = tokens === 16 ? await run('cached', tokens) : undefined;
  points.push({
    tokens,
    off,
    on,
    itemsGain: on.itemsPerSec / off.itemsPerSec,
    p99Ratio: on.p99 / off.p99,
    ...(cached ? { cached, cachedGain: cached.itemsPerSec / off.itemsPerSec } : {}),
  });
}
rmSync(STATE, { recursive: true, force: true });
console.table(
  points.map((p) => ({
    tokens: p.tokens,
    'off items/s': p.off.itemsPerSec,
    'on items/s': p.on.itemsPerSec,
    gain: +p.itemsGain.toFixed(2),
    'off p99': p.off.p99,
    'on p99': p.on.p99,
    'p99 on÷off': +p.p99Ratio.toFixed(2),
    'cached answers items/s': p.cached?.itemsPerSec ?? '',
  })),
);
for (const p of points) console.log(`${p.tokens} tokens, unbatched server: run_ms per row by rows per run`, p.off.runMsPerRow);
console.log(`wrote ${writeResult('microbatch', { quick, seconds: SECONDS, concurrency: CONCURRENCY, points })}`);

// Batch benchmark: the same inputs through a batch job (file upload, queued chunks) and
// through the synchronous endpoint (64 inputs a request, and one a request), in one run
// against wrangler dev. Rate limits off on both paths: they measure the work.
//   node bench/batch.ts [--quick]
import { rmSync } from 'node:fs';
import { demoPackages } from '../cli/demo-models.ts';
import { applyLocalMigrations, localPlatform } from '../cli/local.ts';
import { readSplit } from '../cli/senteval.ts';
import { issueKey } from '../functions/domain/keys.ts';
import { PUBLIC_OWNER } from '../functions/domain/registry.ts';
import { ensureTenant } from '../functions/domain/tenants.ts';
import { publishPackage } from '../functions/domain/versions.ts';
import { writeResult } from './lib/stats.ts';
import { startDev } from './lib/wrangler-dev.ts';

const quick = process.argv.includes('--quick');
const STATE = 'bench/.state-batch';
const texts = readSplit('../shared/data/senteval', 'sst2', 'dev')
  .map((r) => r.text)
  .slice(0, quick ? 500 : 2000);
const N = texts.length;

rmSync(STATE, { recursive: true, force: true });
applyLocalMigrations(STATE);
const platform = await localPlatform(STATE);
const { key } = await issueKey(platform.db, await ensureTenant(platform.db, 'bench'), ['infer', 'batches']);
const [demo] = await demoPackages();
await publishPackage(platform.db, platform.env.MODELS, demo!.pkg, { owner: PUBLIC_OWNER, model: demo!.name, alias: 'prod' });
await platform.dispose();

const dev = await startDev(STATE, { RATE_LIMITS: 'off' });
try {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const infer = (inputs: string[]) =>
    fetch(`${dev.url}/v1/models/${demo!.name}/infer`, { method: 'POST', headers, body: JSON.stringify({ inputs }) }).then(async (r) => {
      if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
      await r.arrayBuffer();
    });
  await infer(texts.slice(0, 8)); // load the model

  let t = performance.now();
  for (let i = 0; i < N; i += 64) await infer(texts.slice(i, i + 64));
  const sync64 = N / ((performance.now() - t) / 1000);
  const ones = texts.slice(0, Math.ceil(N / 4));
  t = performance.now();
  for (const text of ones) await infer([text]);
  const sync1 = ones.length / ((performance.now() - t) / 1000);

  t = performance.now();
  const file = (await (
    await fetch(`${dev.url}/v1/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: texts.map((input, i) => JSON.stringify({ custom_id: `t${i}`, input })).join('\n'),
    })
  ).json()) as { id: string };
  const batch = (await (
    await fetch(`${dev.url}/v1/batches`, { method: 'POST', headers, body: JSON.stringify({ model: demo!.name, input_file: file.id }) })
  ).json()) as { id: string };
  let status = '';
  while (status !== 'completed') {
    if (performance.now() - t > 300_000) throw new Error('the batch did not complete within 5 minutes');
    await new Promise((r) => setTimeout(r, 50));
    status = ((await (await fetch(`${dev.url}/v1/batches/${batch.id}`, { headers })).json()) as { status: string }).status;
  }
  const batchRate = N / ((performance.now() - t) / 1000);
  const lines = (await (await fetch(`${dev.url}/v1/batches/${batch.id}/results`, { headers })).text()).split('\n').filter(Boolean).length;
  if (lines !== N) throw new Error(`the batch returned ${lines} lines for ${N} inputs`);

  const table = {
    'batch job (upload, queue, results)': { 'inputs/s': +batchRate.toFixed(0) },
    'sync, 64 inputs a request': { 'inputs/s': +sync64.toFixed(0) },
    'sync, 1 input a request': { 'inputs/s': +sync1.toFixed(0) },
  };
  console.table(table);
  const summary = { inputs: N, batch_over_sync64: batchRate / sync64, batch_over_sync1: batchRate / sync1 };
  console.log(summary);
  console.log(`wrote ${writeResult('batch', { quick, table, summary })}`);
} finally {
  await dev.stop();
}

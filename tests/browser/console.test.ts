// The console in headless Chromium against the Worker under `wrangler dev`, as a user meets
// it: sign in with the keyboard, read the models and a merged version, edit a canary and
// roll it back, start a merge and a batch and watch them finish, open a delivery's
// attempts, redeliver it and rotate the signing secret, run the playground at the edge
// and in the browser (WebGPU on SwiftShader, then WASM; the int8 demo model and an fp32
// BERT) with equal answers, read usage, the admin view, and every page at 360 px and by
// Tab. No page may ask another origin. Screenshots go to test-results/console/.
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeChimera } from '../../clients/typescript/src/node.ts';
import { importHfExport } from '../../models/import/hf-export.ts';
import { type Isolated, isolatedPage, launch, maxDiff, press, SHOTS, shot, startReceiver, unreachableByTab } from './console-kit.ts';
import { type LiveWorker, startLiveWorker } from './live-worker.ts';

const ROOT = join(import.meta.dirname, '../..');
let worker: LiveWorker;
let browser: Browser;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let tab: Isolated;
let page: Page;
let api: ReturnType<typeof createNodeChimera>;
const go = (path: string) => page.goto(`${worker.url}/console${path}`);

beforeAll(async () => {
  receiver = await startReceiver();
  // retries a second apart, so a delivery's refused first attempt is retried within the test
  [worker, browser] = await Promise.all([startLiveWorker({ vars: { WEBHOOK_RETRY_BASE_S: '1' } }), launch()]);
  api = createNodeChimera({ baseUrl: worker.url, apiKey: worker.apiKey });
  // a model of the tenant's own: v1 the multitask package (prod), v2 the merged one
  await api.publish('my-model', join(ROOT, 'demo/senteval-multitask'), { alias: 'prod' });
  await api.publish('my-model', join(ROOT, 'demo/senteval-merged'));
  tab = await isolatedPage(browser, new URL(worker.url).origin);
  page = tab.page;
}, 240_000);

afterAll(async () => {
  console.info(`console screenshots in ${SHOTS}`);
  await browser?.close();
  await worker?.stop();
  await receiver?.close();
});

async function signIn(p: Page, token: string, kind: 'key' | 'admin' = 'key') {
  if (kind === 'admin') await press(p.getByRole('radio', { name: 'the admin token' }), 'Space');
  // from the top of the page, Tab until the credential field has focus
  for (let i = 0; i < 6 && !(await p.evaluate(() => document.activeElement?.id === 'token')); i++) await p.keyboard.press('Tab');
  await p.keyboard.type(token);
  await p.keyboard.press('Enter');
}

describe('the console', () => {
  it('is served at / and signs in with the keyboard alone', async () => {
    await page.goto(`${worker.url}/`);
    expect(new URL(page.url()).pathname).toBe('/console/');
    await signIn(page, worker.apiKey);
    await page.getByRole('heading', { name: 'Models', level: 1 }).waitFor();
    const rows = page.getByRole('region', { name: 'Models' }).getByRole('row');
    await expect
      .poll(() => rows.allTextContents())
      .toEqual(
        expect.arrayContaining([
          expect.stringContaining('my-model'),
          expect.stringContaining('senteval-merged'),
          expect.stringContaining('senteval-multitask'),
        ]),
      );
    await shot(page, 'models');
  }, 60_000);

  it("shows a version's manifest, and a merged version's method and experts", async () => {
    await press(page.getByRole('link', { name: 'my-model', exact: true }));
    await page.getByRole('heading', { name: 'Model my-model' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1'); // focus moved to the new page
    await press(page.getByRole('link', { name: 'v2', exact: true }));
    await page.getByText('A merged version: ties over 6 experts').waitFor();
    await expect.poll(() => page.getByRole('region', { name: 'Files' }).textContent()).toContain('model.onnx.data');
    await shot(page, 'version-merged');
  }, 60_000);

  it('edits a canary split with a live preview, saves it and rolls it back', async () => {
    await go('/models/my-model');
    await press(page.getByRole('button', { name: 'Edit split of prod' }));
    await press(page.getByRole('button', { name: 'Add a target' }));
    await page.locator('#alias-prod-w0').fill('90');
    await page.locator('#alias-prod-w1').fill('10');
    await page.getByText('Preview: v1 90% · v2 10%').waitFor();
    await shot(page, 'alias-edit');
    await press(page.getByRole('button', { name: 'Save split of prod' }));
    await page.getByRole('img', { name: 'prod now: v1 90%, v2 10%' }).waitFor();
    const prod = async () => (await api.ok(api.api.GET('/v1/models/{model}', { params: { path: { model: 'my-model' } } }))).aliases.prod;
    expect(await prod()).toEqual([
      { version: 1, weight: 90 },
      { version: 2, weight: 10 },
    ]);
    await press(page.getByText('Change history of prod'));
    await shot(page, 'alias-saved');
    await press(page.getByRole('button', { name: 'Roll back prod' }));
    await page.getByRole('img', { name: 'prod now: v1 100%' }).waitFor();
    expect((await prod())?.map((t) => t.version)).toEqual([1]);
  }, 60_000);

  it('starts a merge from the form and watches it make a version', async () => {
    await go('/merges');
    await page.getByLabel('Method').selectOption('average');
    await press(page.getByRole('checkbox', { name: 'v1' }), 'Space');
    await press(page.getByRole('checkbox', { name: 'v2' }), 'Space');
    await press(page.getByRole('button', { name: 'Start merge' }));
    await page.getByRole('region', { name: 'Merges' }).getByText('succeeded').waitFor({ timeout: 60_000 });
    await shot(page, 'merges');
  }, 90_000);

  it('starts a batch, watches it to completion and downloads its results', async () => {
    await go('/batches');
    await page.locator('#batch-model').selectOption('my-model');
    const texts = Array.from({ length: 300 }, (_, i) => `review number ${i}: ${i % 2 ? 'a gripping film' : 'the plot is a mess'}`);
    await page.locator('#batch-inputs').fill(texts.join('\n'));
    await page.locator('#batch-webhook').fill(receiver.url);
    await press(page.getByRole('button', { name: 'Start batch' }));
    await page.waitForURL(/\/console\/batches\/[\w-]+$/);
    await page.locator('#batch-status').getByText('completed').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('#batch-status').textContent()).toContain('300 of 300 inputs done');
    await shot(page, 'batch');
    const [download] = await Promise.all([page.waitForEvent('download'), press(page.getByRole('button', { name: 'Download results' }))]);
    const lines = (await readFile((await download.path())!, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(300);
    expect(JSON.parse(lines[299]!)).toMatchObject({ line: 300, results: { sst2: { label: 'positive' } } });
    const [errors] = await Promise.all([page.waitForEvent('download'), press(page.getByRole('button', { name: 'Download errors' }))]);
    expect(await readFile((await errors.path())!, 'utf8')).toBe(''); // no input failed
  }, 90_000);

  it("lists the batch's webhook delivery and opens its attempts", async () => {
    await go('/webhooks');
    const delivery = page.locator('.panel', { hasText: 'batch.completed' });
    await delivery.getByText('delivered').waitFor({ timeout: 60_000 });
    await press(delivery.getByRole('button', { name: 'Show attempts (2)' }));
    const attempts = delivery.getByRole('region', { name: /Attempts of delivery/ });
    await expect
      .poll(() => attempts.getByRole('row').allTextContents())
      .toEqual([expect.stringContaining('Answer'), expect.stringContaining('500'), expect.stringContaining('204')]);
    await shot(page, 'webhooks');

    // sent again: the same webhook-id, a third attempt
    const sent = receiver.received.length;
    await press(delivery.getByRole('button', { name: 'Redeliver' }));
    await delivery.getByRole('button', { name: /attempts \(3\)/ }).waitFor({ timeout: 30_000 });
    expect(receiver.received.slice(sent)).toEqual([receiver.received[0]]);
    await expect.poll(() => attempts.getByRole('row').count()).toBe(4);

    // the signing secret rotates after a confirmation; the old one keeps signing as the previous
    const before = await api.webhooks.secrets();
    await press(page.getByRole('button', { name: 'Rotate secret…' }));
    await press(page.getByRole('button', { name: 'Yes, rotate now' }));
    await page.getByText('Previous (still signing)').waitFor();
    const after = await api.webhooks.secrets();
    expect(after.previous).toBe(before.secret);
    expect(after.secret).not.toBe(before.secret);
    await expect.poll(() => page.locator('.secret code').first().textContent()).toContain(after.secret.slice(0, 6));
  }, 90_000);

  it('runs the playground at the edge and in the browser, on WebGPU and on WASM, with equal answers', async () => {
    await go('/playground?model=my-model');
    await page.getByText('WebGPU adapter:').waitFor({ timeout: 30_000 });
    const answers = async () => ({
      edge: JSON.parse((await page.locator('#edge-json').textContent()) ?? '{}'),
      browser: JSON.parse((await page.locator('#browser-json').textContent()) ?? '{}'),
    });
    await press(page.getByRole('button', { name: 'Run both' }));
    await page.locator('#max-diff').waitFor({ timeout: 90_000 });
    const gpu = await answers();
    expect([gpu.edge.backend, gpu.browser.backend, gpu.browser.version]).toEqual(['wasm', 'webgpu', gpu.edge.version]);
    expect(maxDiff(gpu.edge, gpu.browser)).toBeLessThanOrEqual(1e-4);
    await shot(page, 'playground');

    await press(page.getByRole('checkbox', { name: /Use WebGPU/ }), 'Space');
    await press(page.getByRole('button', { name: 'Run in this browser' }));
    await expect.poll(async () => (await answers()).browser.backend, { timeout: 60_000 }).toBe('wasm');
    const cpu = await answers();
    expect(maxDiff(cpu.edge, cpu.browser)).toBeLessThanOrEqual(1e-4);
    console.info(`playground: |edge - webgpu| ${maxDiff(gpu.edge, gpu.browser)}, |edge - wasm| ${maxDiff(cpu.edge, cpu.browser)}`);
    console.info(`onnxruntime's notes in the browser:\n${tab.ortNotes.join('\n') || '(none)'}`);

    // both browser runs were reported, kept apart from metered usage
    const client = () => api.ok(api.api.GET('/v1/usage', { params: { query: { source: 'client', group_by: 'operation' } } }));
    await expect.poll(async () => (await client()).rows[0]?.requests ?? 0, { timeout: 15_000 }).toBe(2);
  }, 180_000);

  it('runs an fp32 transformer (WordPiece, attention) on WebGPU in the browser, close to the edge', async () => {
    // the int8 demo graph answers the same to the last bit in a WebGPU session (ORT leaves
    // nodes without a WebGPU kernel on the CPU); this BERT's fp32 MatMuls run on the adapter
    const dir = join(ROOT, 'tests/fixtures/hf/bert-cls');
    const files = Object.fromEntries(readdirSync(dir).map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]));
    const pkg = await importHfExport(files, { name: 'bert-cls' });
    await api.publish('bert-cls', pkg, { alias: 'prod' });
    await go('/playground?model=bert-cls');
    await page.getByText('WebGPU adapter:').waitFor({ timeout: 30_000 });
    await press(page.getByRole('button', { name: 'Run both' }));
    await page.locator('#max-diff').waitFor({ timeout: 90_000 });
    const edge = JSON.parse((await page.locator('#edge-json').textContent()) ?? '{}');
    const browser = JSON.parse((await page.locator('#browser-json').textContent()) ?? '{}');
    expect([edge.backend, browser.backend]).toEqual(['wasm', 'webgpu']);
    expect(Object.keys(browser.results[0])).toEqual(['label']);
    const diff = maxDiff(edge, browser);
    expect(diff).toBeLessThanOrEqual(1e-4);
    console.info(`playground, fp32 BERT: |edge - webgpu| ${diff.toExponential(2)}`);
    await shot(page, 'playground-bert');
  }, 180_000);

  it('charts usage by day, model, version and task, client-reported runs apart', async () => {
    await go('/usage');
    const table = page.getByRole('region', { name: 'Usage table' });
    await table.waitFor();
    await page.getByLabel('Group by').selectOption('task');
    await expect.poll(() => table.textContent()).toContain('sst2');
    await shot(page, 'usage');
    await page.getByLabel('Source').selectOption('client');
    await expect.poll(() => page.getByText("Runs made in users' browsers").count()).toBe(1);
  }, 60_000);

  it('stays usable at 360 px wide: no page is wider than the screen, and Tab reaches every control', async () => {
    const narrow = await isolatedPage(browser, new URL(worker.url).origin, { width: 360, height: 780 });
    await narrow.page.goto(`${worker.url}/console/`);
    await signIn(narrow.page, worker.apiKey);
    await narrow.page.getByRole('heading', { name: 'Models', level: 1 }).waitFor();
    for (const path of [
      '/models',
      '/models/my-model',
      '/models/my-model/versions/2',
      '/playground',
      '/usage',
      '/batches',
      '/merges',
      '/webhooks',
    ]) {
      await narrow.page.goto(`${worker.url}/console${path}`);
      await narrow.page.waitForLoadState('networkidle');
      expect(await narrow.page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(360);
      await shot(narrow.page, `360${path.replace(/\W+/g, '-')}`);
      expect(await unreachableByTab(narrow.page), `controls Tab does not reach on ${path}`).toEqual([]);
    }
    expect(narrow.blocked).toEqual([]);
    expect(narrow.errors).toEqual([]);
    await narrow.context.close();
  }, 120_000);

  it('signs out, and shows the admin view to the admin token', async () => {
    await press(page.getByRole('button', { name: 'Sign out' }));
    await signIn(page, worker.adminToken, 'admin');
    await page.getByRole('heading', { name: 'Tenants and keys' }).waitFor();
    await expect.poll(() => page.getByRole('region', { name: 'Tenants' }).textContent()).toContain('dev');
    await shot(page, 'admin');
  }, 60_000);

  it('asked no other origin and raised no error on any page', () => {
    expect(tab.blocked).toEqual([]);
    expect(tab.errors).toEqual([]);
  });
});

// Against the Worker under `wrangler dev` (tests/browser/live-worker.ts), as a user meets
// it: /docs renders in headless Chromium with every other origin blocked; @chimera/client
// runs in that browser and in Node (publishing a package folder from disk); and a chunked
// body over the limit gets its 413 every time, through the same proxy `npm start` runs.
import { request } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChimeraError } from '../../clients/typescript/src/index.ts';
import { createNodeChimera } from '../../clients/typescript/src/node.ts';
import { launchChromium } from './chromium.ts';
import { type LiveWorker, startLiveWorker } from './live-worker.ts';

const ROOT = join(import.meta.dirname, '../..');

let worker: LiveWorker;
let browser: Browser;

beforeAll(async () => {
  [worker, browser] = await Promise.all([startLiveWorker(), launchChromium()]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

/** A page whose requests to any origin but the Worker's are refused, and recorded. */
async function isolatedPage() {
  const context = await browser.newContext();
  const origin = new URL(worker.url).origin;
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || new URL(url).origin === origin) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, blocked, errors };
}

describe('/docs', () => {
  it('renders the API reference with every other origin blocked, and asks none', async () => {
    const { context, page, blocked, errors } = await isolatedPage();
    await page.goto(`${worker.url}/docs`);
    expect(await page.title()).toBe('Chimera API');
    // the reference is rendered from /openapi.json: operation summaries appear
    await page.getByText('Run a model on 1..N inputs', { exact: false }).first().waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    // biome-ignore lint/performance/useDomNodeTextContent: the text as laid out is what a reader sees
    const text = await page.locator('body').innerText();
    for (const tag of ['models', 'versions', 'aliases', 'merges', 'batches', 'webhooks', 'usage', 'admin', 'health'])
      expect(text).toContain(tag);
    expect(text).not.toContain('Ask AI'); // the hosted extras are off
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});

describe('@chimera/client', () => {
  it('runs in a browser: infers, and throws typed problems', async () => {
    const bundle = await build({
      entryPoints: [join(ROOT, 'clients/typescript/src/index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'ChimeraSDK',
      write: false,
      logLevel: 'error',
    });
    const { context, page, blocked } = await isolatedPage();
    await page.goto(`${worker.url}/healthz`);
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    const out = await page.evaluate(
      async ({ url, key }) => {
        type Sdk = typeof import('../../clients/typescript/src/index.ts');
        const sdk = (globalThis as unknown as { ChimeraSDK: Sdk }).ChimeraSDK;
        const client = sdk.createChimera({ baseUrl: url, apiKey: key });
        const result = await client.infer('senteval-multitask', { inputs: ['a gripping , beautifully shot film'], tasks: ['sst2'] });
        const err = await client.infer('no-such-model', { inputs: ['x'] }).catch((e: unknown) => e);
        return {
          label: (result.results[0]!.sst2 as { label: string }).label,
          typed: err instanceof sdk.ChimeraError && err.is('model-not-found'),
          status: (err as { status: number }).status,
        };
      },
      { url: worker.url, key: worker.apiKey },
    );
    expect(out).toEqual({ label: 'positive', typed: true, status: 404 });
    expect(blocked).toEqual([]);
    await context.close();
  }, 60_000);

  it('runs in Node: publishes a package folder from disk, with progress, and infers with it', async () => {
    const client = createNodeChimera({ baseUrl: worker.url, apiKey: worker.apiKey });
    const sent: number[] = [];
    const version = await client.publish('my-sdk-model', join(ROOT, 'demo/senteval-multitask'), {
      alias: 'prod',
      onProgress: (p) => p.phase === 'upload' && sent.push(p.totalSent),
    });
    expect(version).toMatchObject({ model: 'my-sdk-model', version: 1, alias: 'prod' });
    expect(sent.at(-1)).toBe(version.bytes);
    const out = await client.infer('my-sdk-model', { inputs: ['the plot is a mess'], tasks: ['sst2'] });
    expect(out).toMatchObject({ model: 'my-sdk-model', version: 1 });
    const err = await client.ok(client.api.GET('/v1/models/{model}', { params: { path: { model: 'nope' } } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChimeraError);
    expect((err as ChimeraError).type).toBe('model-not-found');
  }, 60_000);
});

describe('a chunked body over the limit', () => {
  /** A 5 MiB JSON body sent chunked (no Content-Length), through wrangler dev's proxy. */
  const overLimit = () =>
    new Promise<string>((resolve) => {
      const url = new URL(`${worker.url}/v1/models/senteval-multitask/infer`);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { authorization: `Bearer ${worker.apiKey}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(`${res.statusCode} ${res.headers['content-type']}`));
        },
      );
      req.on('error', (e) => resolve(`error ${(e as NodeJS.ErrnoException).code}`));
      const chunk = Buffer.alloc(64 << 10, 'x');
      let n = 0;
      req.write('{"inputs":["');
      const pump = () => {
        while (n < 80) {
          n++;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end('"]}');
      };
      pump();
    });

  it('is answered 413 problem+json every time (40 tries), not a dropped connection', async () => {
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < 40; i++) {
      const o = await overLimit();
      outcomes[o] = (outcomes[o] ?? 0) + 1;
    }
    expect(outcomes).toEqual({ '413 application/problem+json': 40 });
  }, 120_000);
});

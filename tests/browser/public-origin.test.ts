// A public endpoint as a tenant's site meets it (issue 16): the README's web page, served
// from a second local origin, calls the Worker (wrangler dev, tests/browser/live-worker.ts)
// from headless Chromium with a publishable key. The allowed origin reads the answer, and
// its preflight is cached (a proxy in front of the Worker counts what reaches it); a page on
// another origin is refused by the browser; a secret key from the page gets a 403 the page
// can read.
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.ts';
import { type LiveWorker, startLiveWorker } from './live-worker.ts';

const ROOT = join(import.meta.dirname, '../..');

/** The README's example page ("Call it from a web page"), as a reader would copy it. */
function readmePage(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Call it from a web page'));
  const html = /```html\n([\s\S]*?)```/.exec(section)?.[1];
  if (!html) throw new Error('README has no html example under "Call it from a web page"');
  return html;
}

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

let worker: LiveWorker;
let browser: Browser;
let proxy: string; // the Worker as the pages see it
let site: string; // the tenant's site: its key's origin
let elsewhere: string; // any other site
let pk: string;
const servers: Server[] = [];
/** what reached the Worker through the proxy: "METHOD path status" */
const seen: string[] = [];

beforeAll(async () => {
  [worker, browser] = await Promise.all([startLiveWorker(), launchChromium()]);
  const target = new URL(worker.url);
  const forward = createServer((req, res) => {
    const out = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      seen.push(`${req.method} ${req.url?.split('?')[0]} ${answer.statusCode}`);
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(out);
  });
  const page = (html: () => string) => createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html()));
  servers.push(forward);
  proxy = await listen(forward);
  const pageHtml = () =>
    readmePage()
      .replace(/const CHIMERA = '[^']*'/, `const CHIMERA = '${proxy}'`)
      .replace(/const KEY = '[^']*'/, `const KEY = '${pk}'`);
  const [a, b] = [page(pageHtml), page(pageHtml)];
  servers.push(a, b);
  [site, elsewhere] = await Promise.all([listen(a), listen(b)]);

  const res = await fetch(`${worker.url}/v1/admin/tenants/dev/publishable-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${worker.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'site', models: ['senteval-multitask'], origins: [site] }),
  });
  if (res.status !== 201) throw new Error(`issuing the publishable key: ${res.status} ${await res.text()}`);
  pk = ((await res.json()) as { key: string }).key;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const s of servers) s.close();
  await worker?.stop();
});

/** Clicks the README page's button and returns what it printed. */
async function classify(page: import('playwright-core').Page): Promise<{ results: { sst2: { label: string } }[] }> {
  await page.evaluate(() => {
    document.querySelector('#out')!.textContent = '';
  });
  await page.click('#go');
  await page.waitForFunction(() => document.querySelector('#out')?.textContent !== '', undefined, { timeout: 30_000 });
  return JSON.parse((await page.textContent('#out'))!);
}

describe("the README's page with a publishable key", () => {
  it('reads the answer from its own origin, and the browser asks the preflight once', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(site);
    const before = seen.length;
    const first = await classify(page);
    expect(first.results[0]!.sst2.label).toBe('positive');
    expect(seen.slice(before)).toEqual(['OPTIONS /v1/models/senteval-multitask/infer 204', 'POST /v1/models/senteval-multitask/infer 200']);
    await page.fill('#text', 'the plot is a mess and the acting is worse');
    const second = await classify(page);
    expect(second.results[0]!.sst2.label).toBe('negative');
    // the second call went without a preflight: Chromium kept the first (Access-Control-Max-Age)
    expect(seen.slice(before + 2)).toEqual(['POST /v1/models/senteval-multitask/infer 200']);
    await context.close();
  }, 60_000);

  it('is refused by the browser on another origin: the page reads nothing', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(elsewhere);
    const before = seen.length;
    const out = await page.evaluate(
      async ({ url, key }) => {
        try {
          const res = await fetch(`${url}/v1/models/senteval-multitask/infer`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ inputs: ['a fine film'] }),
          });
          return `read ${res.status}`;
        } catch (e) {
          return `${(e as Error).name}: ${(e as Error).message}`;
        }
      },
      { url: proxy, key: pk },
    );
    expect(out).toBe('TypeError: Failed to fetch');
    // the Worker refused it, and said so only where the page could not read it
    expect(seen.slice(before).at(-1)).toBe('POST /v1/models/senteval-multitask/infer 403');
    await context.close();
  }, 60_000);

  it('a secret key sent from the page is refused in words the page can read', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(site);
    const out = await page.evaluate(
      async ({ url, key }) => {
        const res = await fetch(`${url}/v1/models/senteval-multitask/infer`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ inputs: ['a fine film'] }),
        });
        return { status: res.status, body: (await res.json()) as { type: string; detail: string } };
      },
      { url: proxy, key: worker.apiKey },
    );
    expect(out.status).toBe(403);
    expect(out.body.type).toMatch(/secret-key-in-browser$/);
    expect(out.body.detail).toMatch(/publishable key/);
    await context.close();
  }, 60_000);
});

// Runs a fixture model through models/backend.ts in headless Chromium with WebGPU and with
// WASM and checks they agree: the Worker never uses WebGPU (workerd has none), so this is
// the only place that path is exercised. Chromium comes from Debian (`apt-get install
// chromium`); playwright-core only drives it and downloads nothing.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.ts';
import type { PageResult, RunResult } from './page.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const ORT_DIST = join(ROOT, 'node_modules/onnxruntime-web/dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
};

let dir: string;
let server: Server | undefined;
let browser: Browser | undefined;
let result: PageResult;

/** Serves the bundle at / and ORT's dist files at /ort/: ORT fetches its .wasm/.mjs from there. */
function serve(bundleDir: string): Promise<string> {
  const s = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file =
      path === '/'
        ? join(bundleDir, 'index.html')
        : path.startsWith('/ort/')
          ? join(ORT_DIST, path.slice(5).replace(/\.\.|\//g, ''))
          : join(bundleDir, path.slice(1).replace(/\.\.|\//g, ''));
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  server = s;
  return new Promise((ok) => s.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chimera-webgpu-'));
  await build({
    entryPoints: [join(import.meta.dirname, 'page.ts')],
    outfile: join(dir, 'page.js'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    conditions: ['browser'],
    logLevel: 'error',
  });
  await writeFile(join(dir, 'index.html'), '<!doctype html><script type="module" src="/page.js"></script>');
  const origin = await serve(dir);
  browser = await launchChromium({ webgpu: true });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(origin);
  await page
    .waitForFunction(() => 'runComparison' in globalThis, null, { timeout: 30_000 })
    .catch(() => {
      throw new Error(`page did not load: ${errors.join('; ') || 'no error reported'}`);
    });
  result = await page.evaluate(
    (paths) => (globalThis as unknown as { runComparison(p: string): Promise<PageResult> }).runComparison(paths),
    `${origin}/ort/`,
  );
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Largest |a - b| over every output, after checking both runs have the same outputs and shapes. */
function maxAbsDiff(a: RunResult, b: RunResult): number {
  expect(Object.keys(a.outputs).sort()).toEqual(Object.keys(b.outputs).sort());
  let max = 0;
  for (const [name, x] of Object.entries(a.outputs)) {
    const y = b.outputs[name]!;
    expect(x.dims, name).toEqual(y.dims);
    for (const [i, v] of x.data.entries()) max = Math.max(max, Math.abs(v - y.data[i]!));
  }
  return max;
}

describe('models/backend.ts in headless Chromium', () => {
  it('finds a WebGPU adapter and really runs on it', () => {
    expect(result.adapter, 'navigator.gpu gave no adapter: check the Chromium flags').not.toBeNull();
    expect(result.fp32.webgpu.backend).toBe('webgpu');
    expect(result.fp32.wasm.backend).toBe('wasm');
  });

  it('gives the same fp32 logits on WebGPU and WASM (within 1e-4)', () => {
    const diff = maxAbsDiff(result.fp32.webgpu, result.fp32.wasm);
    const { webgpu, wasm } = result.fp32;
    console.info(
      `adapter: ${result.adapter}; max |webgpu - wasm| = ${diff.toExponential(2)}; ` +
        `build+create+run: webgpu ${webgpu.ms} ms, wasm ${wasm.ms} ms, int8 wasm ${result.int8Wasm.ms} ms`,
    );
    expect(diff).toBeLessThanOrEqual(1e-4);
    // guard against comparing two empty or all-zero runs
    const values = Object.values(result.fp32.wasm.outputs).flatMap((o) => o.data);
    expect(values.length).toBeGreaterThan(0);
    expect(values.some((v) => v !== 0 && Number.isFinite(v))).toBe(true);
  });

  it('runs the int8 graph on WASM close to the fp32 one', () => {
    expect(result.int8Wasm.backend).toBe('wasm');
    const diff = maxAbsDiff(result.int8Wasm, result.fp32.wasm);
    expect(Number.isFinite(diff)).toBe(true);
    console.info(`max |int8 - fp32| on WASM = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(0.05); // int8 rounding (about 2e-3 here), not a different model
  });
});

// The console as the Worker serves it (the files built by scripts/assets.ts, read through
// ASSETS): where it lives, its page URLs, its policy of this origin only, the parts of
// onnxruntime's WebAssembly, and a problem for what is not there. The console itself is
// driven in Chromium by tests/browser/console.test.ts.
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, expectProblem } from './helpers.ts';

const manual = (path: string) => SELF.fetch(`http://chimera.test${path}`, { redirect: 'manual' });
/** a Workers static asset may be at most 25 MiB */
const ASSET_LIMIT = 25 * 1024 * 1024;

describe('the console', () => {
  it('lives at /console/: / and /console redirect there', async () => {
    const root = await manual('/');
    expect([root.status, root.headers.get('location')]).toEqual([302, '/console/']);
    const bare = await manual('/console');
    expect([bare.status, bare.headers.get('location')]).toEqual([301, '/console/']);
  });

  it('answers any page URL with its HTML, under a policy of this origin only', async () => {
    for (const path of ['/console/', '/console/models/senteval-multitask', '/console/batches/b_123']) {
      const res = await call(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      const html = await res.text();
      expect(html).toContain('<div id="app"></div>');
      // every script and stylesheet it names is on this origin
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    }
  });

  it('serves the scripts and styles its HTML names', async () => {
    const html = await (await call('/console/')).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const a of assets) {
      const res = await call(a);
      expect(res.status, a).toBe(200);
      expect(res.headers.get('content-type'), a).toMatch(a.endsWith('.js') ? /javascript/ : /css/);
      await res.body?.cancel();
    }
  });

  it("serves onnxruntime's WebAssembly in parts under the asset size limit", async () => {
    const runtime = (await (await call('/console/ort/runtime.json')).json()) as { sha256: string; bytes: number; parts: string[] };
    expect(runtime.sha256).toMatch(/^[0-9a-f]{64}$/);
    let total = 0;
    for (const part of runtime.parts) {
      const bytes = (await (await call(`/console/ort/${part}`)).arrayBuffer()).byteLength;
      expect(bytes).toBeLessThanOrEqual(ASSET_LIMIT);
      total += bytes;
    }
    expect(total).toBe(runtime.bytes);
  });

  it('answers a file that is not there 404 problem+json', async () => {
    await expectProblem(await call('/console/assets/nothing-here.js'), 404, /no console asset at \/console\/assets\/nothing-here\.js/);
  });
});

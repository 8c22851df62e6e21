// What the console's browser tests share: Chromium with WebGPU on SwiftShader, pages that
// may reach only the Worker's origin (every other request is refused and recorded), a
// webhook receiver that refuses each delivery's first attempt, screenshots under
// test-results/console/, pressing controls from the keyboard, and finding controls Tab
// cannot reach.
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium } from './chromium.ts';

export const SHOTS = join(import.meta.dirname, '../../test-results/console');

/** the console's pages use WebGPU in the playground */
export const launch = (): Promise<Browser> => launchChromium({ webgpu: true });

export interface Isolated {
  context: BrowserContext;
  page: Page;
  /** requests to another origin (all refused) */
  blocked: string[];
  /** uncaught page errors, and console errors other than onnxruntime's own warnings */
  errors: string[];
  /** onnxruntime's own notes (which nodes it placed on which execution provider) */
  ortNotes: string[];
}

export async function isolatedPage(browser: Browser, origin: string, viewport = { width: 1280, height: 900 }): Promise<Isolated> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const ortNotes: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // ORT logs its node-placement notes at console.error level; they are not failures
  page.on('console', (m) => {
    if (m.text().includes('onnxruntime')) ortNotes.push(m.text());
    else if (m.type() === 'error') errors.push(m.text());
  });
  return { context, page, blocked, errors, ortNotes };
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Focuses a control and presses Enter (or Space for checkboxes): the keyboard, not the mouse. */
export async function press(control: Locator, key: 'Enter' | 'Space' = 'Enter'): Promise<void> {
  await control.focus();
  await control.press(key);
}

/** The visible, enabled controls of a page that pressing Tab never reaches (of a radio
 * group, only the checked radio is a tab stop: arrows move within the group). Starts at
 * the first control and presses Tab until focus comes back round or `maxStops`. */
export async function unreachableByTab(page: Page, maxStops = 150): Promise<string[]> {
  const total = await page.evaluate(() => {
    const controls = document.querySelectorAll<HTMLElement>(
      'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])',
    );
    let n = 0;
    for (const el of Array.from(controls)) {
      delete el.dataset.tabProbe;
      if (!el.checkVisibility() || (el instanceof HTMLInputElement && el.type === 'radio' && !el.checked)) continue;
      el.dataset.tabProbe = String(n++);
    }
    document.querySelector<HTMLElement>('[data-tab-probe="0"]')?.focus();
    return n;
  });
  const reached = new Set<string>(['0']);
  for (let i = 0; i < maxStops && reached.size < total; i++) {
    await page.keyboard.press('Tab');
    const probe = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.tabProbe);
    if (probe === '0') break; // round the page once
    if (probe !== undefined) reached.add(probe);
  }
  return page.evaluate(
    (seen) =>
      Array.from(document.querySelectorAll<HTMLElement>('[data-tab-probe]'))
        .filter((el) => !seen.includes(el.dataset.tabProbe!))
        .map((el) => `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || el.id).trim().slice(0, 40)}"`),
    [...reached],
  );
}

/** A webhook receiver on 127.0.0.1 that answers 500 to the first attempt of each delivery
 * and 204 after, so every delivery has a failed attempt and a retry to show. */
export async function startReceiver(): Promise<{ url: string; received: string[]; close(): Promise<void> }> {
  const seen = new Set<string>();
  const received: string[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      received.push(id);
      const first = !seen.has(id);
      seen.add(id);
      res.writeHead(first ? 500 : 204).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

/** The largest difference between two infer responses' numbers (scores or values). */
export function maxDiff(a: { results: Record<string, unknown>[] }, b: { results: Record<string, unknown>[] }): number {
  const nums = (r: unknown): number[] => {
    const x = r as { scores?: Record<string, number>; values?: number[] };
    return (
      x.values ??
      Object.keys(x.scores ?? {})
        .sort()
        .map((k) => x.scores![k]!)
    );
  };
  let max = 0;
  for (const [i, row] of a.results.entries())
    for (const [task, r] of Object.entries(row)) {
      const [x, y] = [nums(r), nums(b.results[i]?.[task])];
      if (x.length !== y.length || x.length === 0) return Number.POSITIVE_INFINITY;
      for (const [j, v] of x.entries()) max = Math.max(max, Math.abs(v - y[j]!));
    }
  return max;
}

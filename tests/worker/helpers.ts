// Seeds a workerd test's D1/R2 through the project's own code and calls the Worker.
import { env, SELF } from 'cloudflare:test';
import { drizzle } from 'drizzle-orm/d1';
import { inject } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { PUBLIC_OWNER } from '../../functions/domain/registry.ts';
import { ensureTenant } from '../../functions/domain/tenants.ts';
import { publishPackage } from '../../functions/domain/versions.ts';
import { fixtures } from '../fixtures/reference.ts';
import type { Received } from './receiver.ts';

export const db = () => drizzle(env.DB);

/** The webhook receiver tests/worker/receiver.ts runs, and what it has received so far. */
export const receiver = inject('receiver');
export const receivedHooks = async () => (await (await fetch(`${receiver}/received`)).json()) as Received[];

export interface Seeded {
  key: string;
  keyId: string;
  tenantId: string;
  otherKey: string;
  noScopeKey: string;
}

export async function seed(): Promise<Seeded> {
  const d = db();
  const tenantId = await ensureTenant(d, 'acme');
  const other = await ensureTenant(d, 'globex');
  const { key, row } = await issueKey(d, tenantId, ['infer']);
  const keyId = row.id;
  const { key: otherKey } = await issueKey(d, other, ['infer']);
  const { key: noScopeKey } = await issueKey(d, tenantId, ['usage:read']);
  const f = await fixtures();
  await publishPackage(d, env.MODELS, f.multitask, { owner: PUBLIC_OWNER, model: 'fixture-multitask', alias: 'prod' });
  await publishPackage(d, env.MODELS, f.fp32, { owner: PUBLIC_OWNER, model: 'fixture-fp32', alias: 'prod' });
  return { key, keyId, tenantId, otherKey, noScopeKey };
}

export function call(
  path: string,
  init: { key?: string; body?: unknown; method?: string; raw?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  return SELF.fetch(`http://chimera.test${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
}

/** Waits for something written after the response (waitUntil) to appear. */
export async function eventually<T>(probe: () => Promise<T | undefined>, ms = 5_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`nothing appeared within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function expectProblem(res: Response, status: number, detail: RegExp) {
  const body = (await res.json()) as { status: number; detail: string; type: string; title: string };
  if (res.status !== status || !detail.test(body.detail) || res.headers.get('content-type') !== 'application/problem+json') {
    throw new Error(
      `expected ${status} problem matching ${detail}, got ${res.status} ${res.headers.get('content-type')}: ${JSON.stringify(body)}`,
    );
  }
  return body;
}

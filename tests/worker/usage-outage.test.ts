// Usage survives a D1 outage (issue 11): D1 fails every call for a window while 1,000
// requests are served (keys, models and versions come from the isolate's caches), and
// after D1 recovers there is exactly one usage row per request: none lost, none doubled.
// The fault is injected into the platform binding (the D1 client class workerd gives the
// Worker), so the Worker, its queue and its consumer all run for real.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { ensureTenant } from '../../functions/domain/tenants.ts';
import worker from '../../functions/index.ts';
import { usageEvents } from '../../schemas/db/schema.ts';
import { db, eventually, seed } from './helpers.ts';

const REQUESTS = 1_000;
const CONCURRENCY = 8;
let key: string;
let tenantId: string;
// long cache TTLs, so that serving needs no D1 once the caches are warm
const serving = { ...env, CACHE_TTL_MS: '600000' } as Env;

beforeAll(async () => {
  await seed();
  tenantId = await ensureTenant(db(), 'metered');
  key = (await issueKey(db(), tenantId, ['infer'])).key;
});

async function infer(i: number): Promise<number> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request('http://chimera.test/v1/models/fixture-multitask/infer', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [`request number ${i}`], tasks: ['sentiment'] }),
    }),
    serving,
    ctx,
  );
  await res.arrayBuffer();
  await waitOnExecutionContext(ctx);
  return res.status;
}

/** Makes every D1 call fail until the returned function is called. */
function d1Outage(): () => void {
  const proto = Object.getPrototypeOf(env.DB) as Record<string, unknown>;
  const saved = Object.fromEntries(['prepare', 'batch', 'exec'].map((m) => [m, proto[m]]));
  for (const m of Object.keys(saved)) {
    proto[m] = () => {
      throw new Error('D1_ERROR: injected outage');
    };
  }
  return () => Object.assign(proto, saved);
}

const rows = async () => (await db().select().from(usageEvents).where(eq(usageEvents.tenantId, tenantId))).length;

describe('usage through a D1 outage', () => {
  it('writes exactly one usage row per request served during the outage, once D1 is back', async () => {
    expect(await infer(-1)).toBe(200); // warms the key, model and version caches
    await eventually(async () => ((await rows()) === 1 ? true : undefined), 20_000);

    const recover = d1Outage();
    let statuses: number[] = [];
    let outageMs = 0;
    try {
      const started = Date.now();
      let next = 0;
      const lanes = Array.from({ length: CONCURRENCY }, async () => {
        const mine: number[] = [];
        while (next < REQUESTS) mine.push(await infer(next++));
        return mine;
      });
      statuses = (await Promise.all(lanes)).flat();
      await new Promise((r) => setTimeout(r, 1_500)); // the consumer fails and retries meanwhile
      outageMs = Date.now() - started;
    } finally {
      recover();
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(REQUESTS);
    expect(outageMs).toBeGreaterThan(1_500);

    await eventually(async () => ((await rows()) >= REQUESTS + 1 ? true : undefined), 90_000);
    await new Promise((r) => setTimeout(r, 2_000)); // late redeliveries would show up here
    expect(await rows()).toBe(REQUESTS + 1);
  }, 180_000);
});

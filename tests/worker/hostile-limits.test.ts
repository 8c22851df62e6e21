// Cost-aware limits (issue 11): items and tokens per minute per tenant beside requests, a
// storage quota, rate limits on unauthenticated callers and inbound hooks, and a cron
// clean-up of abandoned uploads, old files and blobs nothing refers to.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { ensureTenant } from '../../functions/domain/tenants.ts';
import worker from '../../functions/index.ts';
import { fixturePackage } from '../../models/multitask/fixture.ts';
import { blobKey } from '../../models/store.ts';
import { files, tenants, uploads, usageEvents } from '../../schemas/db/schema.ts';
import { call, db, eventually, expectProblem, seed } from './helpers.ts';

let tenantId: string;
let key: string;
beforeAll(async () => {
  await seed();
  tenantId = await ensureTenant(db(), 'limited');
  key = (await issueKey(db(), tenantId, ['infer', 'models:write', 'batches'])).key;
});

/** The real Worker with one of its Rate Limiting bindings swapped for a small real one. */
async function fetchWith(bindings: Partial<Env>, path: string, init: RequestInit & { ip?: string } = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const headers = new Headers(init.headers);
  if (init.ip) headers.set('cf-connecting-ip', init.ip);
  const res = await worker.fetch(new Request(`http://chimera.test${path}`, { ...init, headers }), { ...env, ...bindings } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe('per-tenant cost limits', () => {
  it('answers 429 at once when a tenant spends its share of the isolate, and not to the others', async () => {
    const greedy = await ensureTenant(db(), 'greedy'); // a tenant of its own: its throttle outlives this test
    const greedyKey = (await issueKey(db(), greedy, ['infer'])).key;
    await db().update(tenants).set({ itemsPerMinute: 120 }).where(eq(tenants.id, greedy)); // 10 items of burst
    const inputs = Array.from({ length: 4 }, (_, i) => `item ${i}`);
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await call('/v1/models/fixture-multitask/infer', { key: greedyKey, body: { inputs } })).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    const refused = await call('/v1/models/fixture-multitask/infer', { key: greedyKey, body: { inputs } });
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    await expectProblem(refused, 429, /120 items per minute/);
    expect((await call('/v1/models/fixture-multitask/infer', { key, body: { inputs } })).status).toBe(200);
  });

  it('throttles a tenant whose last minute, summed from every isolate by the usage consumer, is over a limit', async () => {
    const busy = await ensureTenant(db(), 'busy');
    const busyKey = (await issueKey(db(), busy, ['infer', 'batches'])).key;
    await db().update(tenants).set({ tokensPerMinute: 5_000 }).where(eq(tenants.id, busy));
    // what other isolates served this tenant in the last minute
    const served = Array.from({ length: 60 }, (_, i) => ({
      eventId: `elsewhere:${i}`,
      requestId: `elsewhere-${i}`,
      tenantId: busy,
      operation: 'infer',
      items: 1,
      inputTokens: 100,
      latencyMs: 1,
      status: 200,
    }));
    for (let i = 0; i < served.length; i += 6)
      await db()
        .insert(usageEvents)
        .values(served.slice(i, i + 6));
    expect((await call('/v1/models/fixture-multitask/infer', { key: busyKey, body: { inputs: ['one more'] } })).status).toBe(200);
    const refused = await eventually(async () => {
      const res = await call('/v1/batches', { key: busyKey, body: { model: 'fixture-multitask', inputs: ['x'] } });
      return res.status === 429 ? res : undefined;
    }, 20_000);
    await expectProblem(refused, 429, /5000 input tokens per minute/);
  }, 30_000);

  it("refuses uploads past the tenant's storage quota", async () => {
    await db().update(tenants).set({ storageQuotaBytes: 4_000 }).where(eq(tenants.id, tenantId));
    const pkg = await fixturePackage({ name: 'bulky', seed: 950, shape: { vocab: 1024, dim: 16, hidden: [16] } });
    const up = (await (await call('/v1/models/bulky/versions', { key, body: { manifest: pkg.manifest } })).json()) as {
      files: { path: string; upload_url: string }[];
    };
    const data = up.files.find((f) => f.path === 'model.onnx.data')!;
    const res = await call(data.upload_url, {
      key,
      method: 'PUT',
      raw: pkg.files[data.path] as unknown as string,
      headers: { 'content-type': 'application/octet-stream' },
    });
    await expectProblem(res, 413, /storage quota/);
    await expectProblem(
      await call('/v1/files', { key, raw: `${'{"input":"x"}\n'.repeat(400)}`, headers: { 'content-type': 'application/x-ndjson' } }),
      413,
      /storage quota/,
    );
    await db().update(tenants).set({ storageQuotaBytes: null }).where(eq(tenants.id, tenantId));
  });
});

describe('unauthenticated callers and hooks', () => {
  it('rate limits requests without a valid key by client address', async () => {
    const small = { ANON_LIMITER: env.TEST_LIMITER };
    const attempt = (ip: string) =>
      fetchWith(small, '/v1/models', { ip, headers: { authorization: 'Bearer chm_guessing' } }).then((r) => r.status);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push(await attempt('203.0.113.9'));
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect(await attempt('203.0.113.10')).toBe(401); // another address has its own budget
    expect((await fetchWith(small, '/healthz', { ip: '203.0.113.9' })).status).toBe(200); // liveness stays free
  });

  it('rate limits inbound hooks per trigger before checking their signature', async () => {
    const trigger = (await (
      await call('/v1/triggers', { key, body: { name: 'noisy', batch: { model: 'fixture-multitask' } } })
    ).json()) as {
      url: string;
      secret: string;
    };
    const body = JSON.stringify({ inputs: ['a'] });
    const send = async () => {
      const id = `msg_${crypto.randomUUID()}`;
      const at = new Date();
      return (
        await fetchWith({ HOOK_LIMITER: env.TEST_LIMITER }, new URL(trigger.url, 'http://x').pathname, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json',
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
            'webhook-signature': new Webhook(trigger.secret).sign(id, at, body),
          },
        })
      ).status;
    };
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await send());
    expect(statuses).toEqual([202, 202, 202, 429]);
  });
});

describe('clean-up', () => {
  it('removes abandoned uploads, old files and the blobs only they referred to; keeps blobs versions use', async () => {
    const kept = await fixturePackage({ name: 'kept', seed: 960, shape: { vocab: 256, dim: 8, hidden: [8] } });
    const dropped = await fixturePackage({ name: 'dropped', seed: 961, shape: { vocab: 256, dim: 8, hidden: [8] } });
    const upload = async (p: typeof kept, model: string) => {
      const up = (await (await call(`/v1/models/${model}/versions`, { key, body: { manifest: p.manifest } })).json()) as {
        upload_id: string;
        files: { path: string; upload_url: string }[];
        commit_url: string;
      };
      for (const f of up.files) {
        const raw = p.files[f.path] as unknown as string;
        expect(
          (await call(f.upload_url, { key, method: 'PUT', raw, headers: { 'content-type': 'application/octet-stream' } })).status,
        ).toBe(200);
      }
      return up;
    };
    const committed = await upload(kept, 'kept');
    expect((await call(committed.commit_url, { key, method: 'POST' })).status).toBe(201);
    const abandoned = await upload(dropped, 'dropped');
    const file = (await (
      await call('/v1/files', { key, raw: '{"input":"old"}\n', headers: { 'content-type': 'application/x-ndjson' } })
    ).json()) as {
      id: string;
    };

    const ctx = createExecutionContext();
    const later = Date.now() + 40 * 86_400_000; // past every retention period
    await worker.scheduled!(createScheduledController({ scheduledTime: later, cron: '17 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);

    expect(await db().select().from(uploads).where(eq(uploads.id, abandoned.upload_id))).toEqual([]);
    for (const f of dropped.manifest.files) expect(await env.MODELS.head(blobKey(f.sha256)), f.path).toBeNull();
    for (const f of kept.manifest.files) expect(await env.MODELS.head(blobKey(f.sha256)), f.path).not.toBeNull();
    expect(await db().select().from(files).where(eq(files.id, file.id))).toEqual([]);
    expect(await env.MODELS.head(`files/${file.id}.jsonl`)).toBeNull();
    expect((await call('/v1/models/kept/infer', { key, body: { inputs: ['still served'], version: 1 } })).status).toBe(200);
  });
});

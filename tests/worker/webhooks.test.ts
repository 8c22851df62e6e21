// Outbound webhooks: Standard Webhooks signatures (verified with the library), retries
// until exactly one delivery is accepted, every attempt logged, rotation, SSRF refusal.
import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { webhookUrlProblem } from '../../functions/infra/webhook-url.ts';
import { deliverWebhook } from '../../functions/jobs/webhook.ts';
import { webhookDeliveries } from '../../schemas/db/schema.ts';
import { call, db, eventually, receivedHooks as received, receiver, seed } from './helpers.ts';

let key: string, tenantId: string;
beforeAll(async () => {
  const s = await seed();
  tenantId = s.tenantId;
  key = (await issueKey(db(), s.tenantId, ['infer', 'batches'])).key;
});
const secret = async () => (await (await call('/v1/webhooks/secret', { key })).json()) as { secret: string; previous: string | null };

describe('webhooks', () => {
  it('retries a failing receiver until one delivery is accepted, signed per Standard Webhooks', async () => {
    const url = `${receiver}/hook?fail=2`;
    const res = await call('/v1/batches', { key, body: { model: 'fixture-multitask', inputs: ['a', 'b', 'c'], webhook: { url } } });
    const { id } = (await res.json()) as { id: string };
    const hits = await eventually(async () => {
      const mine = (await received()).filter((r) => r.body.includes(id));
      return mine.some((r) => r.answered === 200) ? mine : undefined;
    }, 30_000);
    expect(hits.map((h) => h.answered)).toEqual([500, 500, 200]);
    expect(new Set(hits.map((h) => h.headers['webhook-id'])).size).toBe(1);
    const accepted = hits[2]!;
    const payload = new Webhook((await secret()).secret).verify(accepted.body, accepted.headers) as {
      type: string;
      data: { batch: { id: string; status: string } };
    };
    expect(payload.type).toBe('batch.completed');
    expect(payload.data.batch).toMatchObject({ id, status: 'completed' });
    const log = (await (await call('/v1/webhooks/deliveries', { key })).json()) as {
      deliveries: { id: string; status: string; attempts: { status_code: number }[] }[];
    };
    const delivery = log.deliveries.find((d) => d.id === accepted.headers['webhook-id'])!;
    expect(delivery.status).toBe('delivered');
    expect(delivery.attempts.map((a) => a.status_code)).toEqual([500, 500, 200]);
    // redelivery by hand: the same webhook-id once more
    expect((await call(`/v1/webhooks/deliveries/${delivery.id}/redeliver`, { key, method: 'POST' })).status).toBe(202);
    await eventually(
      async () => ((await received()).filter((r) => r.headers['webhook-id'] === delivery.id).length === 4 ? true : undefined),
      15_000,
    );
  }, 60_000);

  it('signs with the new and the previous secret after a rotation', async () => {
    const before = await secret();
    const rotated = (await (await call('/v1/webhooks/secret/rotate', { key, method: 'POST' })).json()) as {
      secret: string;
      previous: string;
    };
    expect(rotated.previous).toBe(before.secret);
    const { id } = (await (
      await call('/v1/batches', {
        key,
        body: { model: 'fixture-multitask', inputs: ['x'], webhook: { url: `${receiver}/hook`, events: ['batch.completed'] } },
      })
    ).json()) as { id: string };
    const hit = await eventually(async () => (await received()).find((r) => r.body.includes(id)), 20_000);
    expect(hit.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    for (const s of [rotated.secret, before.secret]) expect(() => new Webhook(s).verify(hit.body, hit.headers)).not.toThrow();
    expect(() => new Webhook(`whsec_${btoa('not the secret at all, 24b')}`).verify(hit.body, hit.headers)).toThrow();
  }, 40_000);

  it('gives up after 24 hours of failures, marks the endpoint failing, and clears it when one is accepted', async () => {
    const url = `${receiver}/hook?fail=1&case=give-up`; // each webhook-id's first attempt fails
    const delivery = (id: string, ageMs: number) =>
      db()
        .insert(webhookDeliveries)
        .values({ id, tenantId, event: 'batch.completed', url, payload: '{}', status: 'pending', createdAt: Date.now() - ageMs });
    const endpoints = async () =>
      ((await (await call('/v1/webhooks/endpoints', { key })).json()) as { endpoints: { url: string; failing_since: string | null }[] })
        .endpoints;
    const status = async (id: string) => (await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)))[0]!;

    await delivery('msg_old', 25 * 3600_000);
    expect(await deliverWebhook(env, 'msg_old')).toBeUndefined(); // settled: no retry
    expect(await status('msg_old')).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await endpoints()).find((e) => e.url === url)?.failing_since).toEqual(expect.any(String));

    await delivery('msg_new', 0);
    expect(await deliverWebhook(env, 'msg_new')).toBeGreaterThan(0); // young: retried later
    expect(await status('msg_new')).toMatchObject({ status: 'pending', attempts: 1 });
    expect(await deliverWebhook(env, 'msg_new')).toBeUndefined();
    expect(await status('msg_new')).toMatchObject({ status: 'delivered', attempts: 2 });
    expect((await endpoints()).find((e) => e.url === url)?.failing_since).toBeNull();
  });

  it('refuses SSRF targets outside local development', async () => {
    const resolve = async (host: string) => (host === 'sneaky.example' ? ['10.0.0.7'] : host === 'ok.example' ? ['93.184.216.34'] : []);
    const check = (url: string) => webhookUrlProblem(url, { allowPrivate: false, resolve });
    expect(await check('http://ok.example/hook')).toMatch(/https/);
    for (const url of [
      'https://127.0.0.1/x',
      'https://10.1.2.3/',
      'https://169.254.169.254/latest',
      'https://[::1]/',
      'https://192.168.0.1',
      'https://localhost:8443/',
      'https://[::ffff:127.0.0.1]/',
    ]) {
      expect(await check(url), url).toMatch(/private|local/);
    }
    expect(await check('https://sneaky.example/hook')).toMatch(/resolves to 10.0.0.7/);
    expect(await check('https://nowhere.example/')).toMatch(/does not resolve/);
    expect(await check('https://ok.example/hook')).toBeUndefined();
    const bad = await call('/v1/batches', {
      key,
      body: { model: 'fixture-multitask', inputs: ['x'], webhook: { url: 'ftp://files.example/x' } },
    });
    expect(bad.status).toBe(422);
  });
});

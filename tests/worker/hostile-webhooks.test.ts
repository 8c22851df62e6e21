// Webhooks under attack and failure (issue 11): a delivery whose queue message was never
// sent goes out from the outbox sweep, redelivering a pending delivery does not start a
// second retry chain, secrets are encrypted at rest, and webhook URLs reach only global
// unicast addresses on port 443 when deployed.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { emitEvent } from '../../functions/domain/webhooks/events.ts';
import worker from '../../functions/index.ts';
import { webhookUrlProblem } from '../../functions/infra/webhook-url.ts';
import { triggers, webhookSecrets } from '../../schemas/db/schema.ts';
import { call, db, eventually, receivedHooks, receiver, seed } from './helpers.ts';

let key: string, tenantId: string;
beforeAll(async () => {
  const s = await seed();
  tenantId = s.tenantId;
  key = (await issueKey(db(), s.tenantId, ['infer', 'batches'])).key;
});

/** Runs the Worker's cron handler as the Cron Trigger would, at `at`. */
async function cron(at = Date.now()) {
  const ctx = createExecutionContext();
  await worker.scheduled!(createScheduledController({ scheduledTime: at, cron: '* * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}
const hitsFor = async (match: string) => (await receivedHooks()).filter((r) => r.path.includes(match));

describe('the outbox', () => {
  it('sends a delivery whose queue message could not be sent, from the cron sweep', async () => {
    const queueDown = {
      ...env,
      JOBS: {
        send: async () => {
          throw new Error('queue unavailable');
        },
        sendBatch: async () => {
          throw new Error('queue unavailable');
        },
      },
    } as unknown as Env;
    const target = { url: `${receiver}/hook?case=outbox` };
    await emitEvent(queueDown, db(), tenantId, target, 'batch.completed', { batch: { id: 'b-outbox' } }).catch(() => {});
    await new Promise((r) => setTimeout(r, 500));
    expect(await hitsFor('case=outbox')).toHaveLength(0); // nothing went out: the message was lost
    await cron(Date.now() + 3600_000);
    const [hit] = await eventually(async () => {
      const hits = await hitsFor('case=outbox');
      return hits.length ? hits : undefined;
    }, 15_000);
    expect(JSON.parse(hit!.body)).toMatchObject({ type: 'batch.completed', data: { batch: { id: 'b-outbox' } } });
  }, 30_000);

  it('does not start a second retry chain when a pending delivery is redelivered', async () => {
    const target = { url: `${receiver}/hook?fail=1000&case=chain` };
    await emitEvent(env, db(), tenantId, target, 'batch.failed', { batch: { id: 'b-chain' } });
    const [first] = await eventually(async () => {
      const hits = await hitsFor('case=chain');
      return hits.length ? hits : undefined;
    });
    const id = first!.headers['webhook-id']!;
    const redelivered = Date.now();
    for (let i = 0; i < 3; i++) expect((await call(`/v1/webhooks/deliveries/${id}/redeliver`, { key, method: 'POST' })).status).toBe(202);
    // the redeliveries bring the next attempt forward once; the one after waits its
    // backoff (at least a second here), so a single chain makes one attempt in 800 ms
    await new Promise((r) => setTimeout(r, 2_500));
    const after = (await hitsFor('case=chain')).filter((h) => h.at >= redelivered);
    expect(after.filter((h) => h.at < redelivered + 800)).toHaveLength(1);
  }, 30_000);
});

describe('secrets at rest', () => {
  it('stores webhook and trigger secrets encrypted, and still signs and verifies with them', async () => {
    const { secret } = (await (await call('/v1/webhooks/secret', { key })).json()) as { secret: string };
    const [row] = await db().select().from(webhookSecrets).where(eq(webhookSecrets.tenantId, tenantId));
    expect(row!.secret).not.toContain(secret.slice(6));
    expect(row!.secret).not.toMatch(/^whsec_/);
    const trigger = (await (
      await call('/v1/triggers', { key, body: { name: 'sealed', batch: { model: 'fixture-multitask' } } })
    ).json()) as { id: string; secret: string };
    const [stored] = await db().select().from(triggers).where(eq(triggers.id, trigger.id));
    expect(stored!.secret).not.toContain(trigger.secret.slice(6));
  });
});

describe('webhook targets when deployed', () => {
  const resolve = async (host: string) =>
    ({ 'ok.example': ['93.184.216.34'], 'v6.example': ['2606:4700::6810:84e5'], 'rebind.example': ['198.18.0.1'] })[host] ?? [];
  const cases: [string, boolean][] = [
    ['https://ok.example/hook', true],
    ['https://v6.example/hook', true],
    ['https://93.184.216.34/hook', true],
    ['https://[2606:4700::6810:84e5]/hook', true],
    ['https://ok.example:443/hook', true],
    ['https://ok.example:8443/hook', false],
    ['http://ok.example/hook', false],
    ['https://rebind.example/', false],
    ['https://127.0.0.1/', false],
    ['https://0x7f.1/', false],
    ['https://[::1]/', false],
    ['https://[::127.0.0.1]/', false],
    ['https://[64:ff9b::7f00:1]/', false],
    ['https://[2002:7f00:1::]/', false],
    ['https://[::ffff:0:7f00:1]/', false],
    ['https://[::ffff:127.0.0.1]/', false],
    ['https://[fec0::1]/', false],
    ['https://[fe80::1]/', false],
    ['https://[fd00::1]/', false],
    ['https://[2001:db8::1]/', false],
    ['https://[2001::1]/', false],
    ['https://[ff02::1]/', false],
    ['https://198.18.0.1/', false],
    ['https://198.19.255.255/', false],
    ['https://192.0.0.8/', false],
    ['https://192.0.2.1/', false],
    ['https://192.88.99.1/', false],
    ['https://198.51.100.1/', false],
    ['https://203.0.113.1/', false],
    ['https://100.64.0.1/', false],
    ['https://169.254.169.254/', false],
    ['https://240.0.0.1/', false],
    ['https://255.255.255.255/', false],
    ['https://10.0.0.1/', false],
    ['https://172.16.0.1/', false],
    ['https://192.168.1.1/', false],
    ['https://0.0.0.0/', false],
    ['https://localhost/', false],
  ];
  for (const [url, allowed] of cases) {
    it(`${allowed ? 'allows' : 'refuses'} ${url}`, async () => {
      const problem = await webhookUrlProblem(url, { allowPrivate: false, resolve });
      if (allowed) expect(problem).toBeUndefined();
      else expect(problem).toEqual(expect.any(String));
    });
  }
  it('allows loopback on any port in local development', async () => {
    expect(await webhookUrlProblem('http://127.0.0.1:9999/hook', { allowPrivate: true })).toBeUndefined();
  });
});

// @chimera/client against the real Worker in workerd: typed calls, a real 429 retried after
// its Retry-After, idempotent creates across a lost response, publish, batch wait and line
// iteration, and the signature of a real webhook delivery.
import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Chimera,
  ChimeraError,
  createChimera,
  toJsonLines,
  verifyWebhook,
  WebhookVerificationError,
} from '../../clients/typescript/src/index.ts';
import { issueKey } from '../../functions/domain/keys.ts';
import { createApp } from '../../functions/http/app.ts';
import { fixturePackage } from '../../models/multitask/fixture.ts';
import { db, eventually, receivedHooks, receiver, type Seeded, seed } from './helpers.ts';

declare global {
  namespace Cloudflare {
    interface Env {
      /** one request per 10 s window: the SDK's retry test */
      SDK_LIMITER: RateLimit;
    }
  }
}

const toWorker = (request: Request) => SELF.fetch(request);
let s: Seeded;
let key: string;
let chimera: Chimera;
beforeAll(async () => {
  s = await seed();
  key = (await issueKey(db(), s.tenantId, ['infer', 'models:write', 'batches'])).key;
  chimera = createChimera({ baseUrl: 'http://chimera.test', apiKey: key, fetch: toWorker });
});

describe('typed calls and problems', () => {
  it('infers, and throws typed problems', async () => {
    const out = await chimera.infer('fixture-multitask', { inputs: ['a fine film'], tasks: ['sentiment'] });
    expect(out.results[0]!.sentiment).toHaveProperty('label');
    const err = await chimera.infer('no-such-model', { inputs: ['x'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChimeraError);
    const problem = err as ChimeraError;
    expect(problem.is('model-not-found')).toBe(true);
    expect(problem.status).toBe(404);
    expect(problem.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const invalid = (await chimera.infer('fixture-multitask', { inputs: [] }).catch((e: unknown) => e)) as ChimeraError;
    expect(invalid.type).toBe('validation');
    expect(invalid.errors.map((e) => e.path)).toEqual(['inputs']);
  });
});

describe('the response cache', () => {
  it('is asked for with cacheMaxAge, and answers a repeat of a pinned request from the cache', async () => {
    const seen: (string | null)[] = [];
    const watching = createChimera({
      baseUrl: 'http://chimera.test',
      apiKey: key,
      fetch: async (request: Request) => {
        const res = await toWorker(request);
        seen.push(res.headers.get('x-chimera-cache'));
        return res;
      },
    });
    const body = { inputs: ['cached through the SDK'], tasks: ['sentiment'], version: 1 };
    const first = await watching.infer('fixture-multitask', body, { cacheMaxAge: 3600 });
    const again = await watching.infer('fixture-multitask', body, { cacheMaxAge: 3600 });
    await watching.infer('fixture-multitask', body);
    expect(seen).toEqual(['miss', 'hit', null]);
    expect(again.results).toEqual(first.results);
  });
});

describe('retries', () => {
  it('waits out a real 429 for its Retry-After, then succeeds', async () => {
    // the real app with a strict key limiter (1 request per 10 s, wall-clock windows)
    const app = createApp();
    const statuses: number[] = [];
    const limited = async (request: Request) => {
      const ctx = createExecutionContext();
      const res = await app.fetch(request, { ...env, KEY_LIMITER: env.SDK_LIMITER }, ctx);
      await waitOnExecutionContext(ctx);
      statuses.push(res.status);
      return res;
    };
    const asked: number[] = [];
    const client = createChimera({
      baseUrl: 'http://chimera.test',
      apiKey: key,
      fetch: limited,
      retry: {
        retries: 2,
        // the server says 60 s (its limiters' period); this one's window is 10 s, so wait
        // for the window to turn rather than the whole minute
        sleep: async (ms) => {
          asked.push(ms);
          await new Promise((r) => setTimeout(r, 10_050 - (Date.now() % 10_000)));
        },
      },
    });
    if (Date.now() % 10_000 > 6_000) await new Promise((r) => setTimeout(r, 10_050 - (Date.now() % 10_000)));
    await client.ok(client.api.GET('/v1/models'));
    const models = await client.ok(client.api.GET('/v1/models'));
    expect(models.models.map((m) => m.name)).toContain('fixture-multitask');
    expect(statuses).toEqual([200, 429, 200]);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toBeGreaterThanOrEqual(60_000); // Retry-After: 60, plus jitter
    expect(asked[0]).toBeLessThan(61_000);

    const noRetry = createChimera({ baseUrl: 'http://chimera.test', apiKey: key, fetch: limited, retry: false });
    const err = (await noRetry.ok(noRetry.api.GET('/v1/models')).catch((e: unknown) => e)) as ChimeraError;
    expect(err.is('rate-limited')).toBe(true);
    expect(err.retryAfter).toBe(60);
  }, 30_000);

  it('sends the same Idempotency-Key again when a create lost its response, and gets the same batch', async () => {
    const keys: (string | null)[] = [];
    let lose = true;
    const flaky = async (request: Request) => {
      keys.push(request.headers.get('idempotency-key'));
      const res = await SELF.fetch(request);
      if (lose) {
        lose = false; // the Worker created the batch; the answer is lost on the way back
        await res.body?.cancel();
        throw new TypeError('network connection lost');
      }
      return res;
    };
    const client = createChimera({ baseUrl: 'http://chimera.test', apiKey: key, fetch: flaky, retry: { sleep: async () => {} } });
    const batch = await client.batches.create({ model: 'fixture-multitask', inputs: ['one', 'two'], metadata: { run: 'idem' } });
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    const { batches } = await chimera.ok(chimera.api.GET('/v1/batches'));
    expect(batches.filter((b) => b.metadata?.run === 'idem').map((b) => b.id)).toEqual([batch.id]);

    const again = await chimera.batches.create({ model: 'fixture-multitask', inputs: ['x'] }, { idempotencyKey: 'order-42' });
    expect((await chimera.batches.create({ model: 'fixture-multitask', inputs: ['x'] }, { idempotencyKey: 'order-42' })).id).toBe(again.id);
  });
});

describe('publish', () => {
  it('uploads a package (versions → files → commit) with progress; bytes and streams alike', async () => {
    const pkg = await fixturePackage({ name: 'sdk-published', seed: 77, int8: true });
    const [graph, ...rest] = Object.keys(pkg.files);
    const files = {
      [graph!]: pkg.files[graph!]!,
      // the others as stream openers, as @chimera/client/node reads files from disk
      ...Object.fromEntries(rest.map((p) => [p, () => new Blob([pkg.files[p]! as Uint8Array<ArrayBuffer>]).stream()])),
    };
    const progress: string[] = [];
    const committed = await chimera.publish(
      'sdk-published',
      { manifest: pkg.manifest, files },
      {
        alias: 'prod',
        onProgress: (p) => progress.push(p.phase === 'upload' ? `${p.file}:${p.fileSent}/${p.fileBytes}` : p.phase),
      },
    );
    expect(committed).toMatchObject({ model: 'sdk-published', version: 1, alias: 'prod' });
    const total = Object.values(pkg.files).reduce((n, b) => n + b.length, 0);
    expect(committed.bytes).toBe(total);
    for (const path of Object.keys(pkg.files)) expect(progress).toContain(`${path}:${pkg.files[path]!.length}/${pkg.files[path]!.length}`);
    expect(progress.slice(-2)).toEqual(['commit', 'done']);
    const out = await chimera.infer('sdk-published', { inputs: ['published through the SDK'] });
    expect(out).toMatchObject({ model: 'sdk-published', version: 1, alias: 'prod' });
  });
});

describe('batches', () => {
  it('waits for a batch and iterates its result and error lines, typed', async () => {
    const inputs = Array.from({ length: 600 }, (_, i) => ({ custom_id: `s-${i}`, input: `sentence ${i}` }));
    const file = await chimera.files.create(
      toJsonLines([...inputs.slice(0, 300), { custom_id: 'too-long', input: 'x'.repeat(5000) }, ...inputs.slice(300)]),
    );
    expect(file.lines).toBe(601);
    const batch = await chimera.batches.create({ model: 'fixture-multitask', tasks: ['sentiment'], input_file: file.id });
    const polled: string[] = [];
    const done = await chimera.batches.wait(batch.id, { intervalMs: 100, timeoutMs: 60_000, onPoll: (b) => polled.push(b.status) });
    expect(done.status).toBe('completed');
    expect(done.counts).toEqual({ total: 600, completed: 600, failed: 0, invalid: 1 });
    const ids: string[] = [];
    for await (const line of chimera.batches.results(batch.id)) {
      ids.push(line.custom_id);
      expect(line.results.sentiment).toHaveProperty('score');
    }
    expect(ids).toEqual(inputs.map((i) => i.custom_id));
    const errors = [];
    for await (const line of chimera.batches.errors(batch.id)) errors.push(line);
    expect(errors).toEqual([{ line: 301, custom_id: 'too-long', error: '"input" is longer than 4000 characters' }]);
  }, 90_000);
});

describe('webhooks', () => {
  it('verifies a real delivery with the tenant secret, and refuses a tampered one', async () => {
    const batch = await chimera.batches.create({
      model: 'fixture-multitask',
      inputs: ['hooked'],
      webhook: { url: `${receiver}/hook?case=sdk` },
    });
    const delivery = await eventually(
      async () => (await receivedHooks()).find((r) => r.path.endsWith('case=sdk') && r.body.includes(batch.id)),
      30_000,
    );
    const { secret, previous } = await chimera.webhooks.secrets();
    const event = verifyWebhook(delivery.body, delivery.headers, [secret, previous]);
    expect(event.type).toBe('batch.completed');
    if (event.type !== 'batch.completed') return;
    expect(event.data.batch.id).toBe(batch.id);
    expect(() => verifyWebhook(delivery.body.replace('completed', 'cancelled'), delivery.headers, secret)).toThrow(
      WebhookVerificationError,
    );
    expect(() => verifyWebhook(delivery.body, delivery.headers, `whsec_${btoa('not the secret')}`)).toThrow(WebhookVerificationError);
  }, 40_000);
});

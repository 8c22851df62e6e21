// Publishable keys and CORS (issue 16), against the Worker in workerd: issued, listed,
// changed, rotated and revoked through the tenant and admin APIs; a page's origin decides
// what it may read; a secret key sent from a page is refused in words the page can read.
import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { call, db, expectProblem, type Seeded, seed } from './helpers.ts';

const SITE = 'https://shop.example';
let s: Seeded;
let owner: string; // a secret key with the keys scope
type Key = { id: string; key: string; kind: string; models: string[]; origins: string[] | null; scopes: string[] };

const json = async <T>(res: Response, status = 200): Promise<T> => {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  return JSON.parse(text) as T;
};
const admin = (path: string, init: { body?: unknown; method?: string } = {}) =>
  call(path, { ...init, headers: { authorization: 'Bearer test-admin-token' } });
/** a call as a page on `origin` makes it */
const fromPage = (origin: string, path: string, init: { key?: string; body?: unknown; method?: string } = {}) =>
  call(path, { ...init, headers: { origin } });
const infer = { inputs: ['a fine film'], tasks: ['sentiment'] };

beforeAll(async () => {
  s = await seed();
  owner = (await issueKey(db(), s.tenantId, ['keys', 'infer'])).key;
});

describe('publishable keys through the tenant API', () => {
  it('are issued (shown once), listed, changed in place, rotated and revoked', async () => {
    const made = await json<Key>(
      await call('/v1/publishable-keys', { key: owner, body: { name: 'shop', models: ['fixture-multitask@prod'], origins: [SITE] } }),
      201,
    );
    expect(made).toMatchObject({ kind: 'publishable', scopes: ['infer'], models: ['fixture-multitask@prod'], origins: [SITE] });
    expect(made.key).toMatch(/^chm_pk_[A-Za-z0-9]{40}$/);
    const listed = await json<{ keys: Key[] }>(await call('/v1/publishable-keys', { key: owner }));
    expect(listed.keys.map((k) => k.id)).toContain(made.id);
    expect(JSON.stringify(listed)).not.toContain(made.key);

    const changed = await json<Key>(
      await call(`/v1/publishable-keys/${made.id}`, { key: owner, method: 'PATCH', body: { origins: [SITE, 'https://*.shop.example'] } }),
    );
    expect(changed.origins).toEqual([SITE, 'https://*.shop.example']);
    // a PATCH that names no field changes nothing (the fuzzer found it a 500)
    expect(await json<Key>(await call(`/v1/publishable-keys/${made.id}`, { key: owner, method: 'PATCH', body: {} }))).toEqual(changed);
    const sub = await fromPage('https://m.shop.example', '/v1/models/fixture-multitask/infer', { key: made.key, body: infer });
    expect(sub.status).toBe(200); // the same key, its new origin

    const rotated = await json<Key>(await call(`/v1/publishable-keys/${made.id}/rotate`, { key: owner, method: 'POST' }), 201);
    expect(rotated).toMatchObject({ kind: 'publishable', models: changed.models, origins: changed.origins });
    await expectProblem(await call('/v1/models/fixture-multitask/infer', { key: made.key, body: infer }), 401, /unknown or revoked/);
    await json(await call(`/v1/publishable-keys/${rotated.id}`, { key: owner, method: 'DELETE' }));
    await expectProblem(await call('/v1/models/fixture-multitask/infer', { key: rotated.key, body: infer }), 401, /unknown or revoked/);
  });

  it('name models that exist, and never manage secret keys', async () => {
    await expectProblem(await call('/v1/publishable-keys', { key: owner, body: { models: ['no-such-model'] } }), 404, /no model/);
    const secret = await issueKey(db(), s.tenantId, ['infer']);
    await expectProblem(await call(`/v1/publishable-keys/${secret.row.id}`, { key: owner, method: 'DELETE' }), 404, /no live publishable/);
    await expectProblem(await call('/v1/publishable-keys', { key: s.key }), 403, /lacks the "keys" scope/);
  });

  it('are issued and changed by the admin too, and listed with the secret keys', async () => {
    const made = await json<Key>(
      await admin(`/v1/admin/tenants/${s.tenantId}/publishable-keys`, { body: { models: ['fixture-multitask'] } }),
      201,
    );
    expect(made.origins).toBeNull();
    const changed = await json<Key>(
      await admin(`/v1/admin/tenants/${s.tenantId}/keys/${made.id}`, { method: 'PATCH', body: { origins: [SITE] } }),
    );
    expect(changed.origins).toEqual([SITE]);
    const all = await json<{ keys: Key[] }>(await admin(`/v1/admin/tenants/${s.tenantId}/keys`));
    expect(new Set(all.keys.map((k) => k.kind))).toEqual(new Set(['secret', 'publishable']));
    const origins = await json(await admin(`/v1/admin/tenants/${s.tenantId}/origins`));
    expect(origins).toEqual({ default_origins: [], secret_key_origins: [] });
  });
});

describe('a page calling /infer', () => {
  let pk: string;
  beforeAll(async () => {
    pk = (
      await json<Key>(await call('/v1/publishable-keys', { key: owner, body: { models: ['fixture-multitask'], origins: [SITE] } }), 201)
    ).key;
  });

  it('reads the answer from an allowed origin', async () => {
    const res = await fromPage(SITE, '/v1/models/fixture-multitask/infer', { key: pk, body: infer });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(res.headers.get('vary')).toMatch(/Origin/);
    expect(res.headers.get('access-control-expose-headers')).toMatch(/retry-after.*x-request-id/);
  });

  it('gets nothing it may read from another origin, and the model does not run', async () => {
    const res = await fromPage('https://copycat.example', '/v1/models/fixture-multitask/infer', { key: pk, body: infer });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    await expectProblem(res, 403, /may not be used from https:\/\/copycat.example/);
  });

  it('calls only the models named on the key, and nothing but inference', async () => {
    const other = await fromPage(SITE, '/v1/models/fixture-fp32/infer', { key: pk, body: infer });
    expect(other.headers.get('access-control-allow-origin')).toBe(SITE);
    await expectProblem(other, 403, /may not call "fixture-fp32@prod"/);
    await expectProblem(await fromPage(SITE, '/v1/batches', { key: pk }), 403, /only runs inference/);
  });

  it('works without an Origin (an app, a server): origins bind browsers', async () => {
    expect((await call('/v1/models/fixture-multitask/infer', { key: pk, body: infer })).status).toBe(200);
  });

  it('keeps an alias-bound key to its alias', async () => {
    const bound = (
      await json<Key>(await call('/v1/publishable-keys', { key: owner, body: { models: ['fixture-multitask@prod'], origins: ['*'] } }), 201)
    ).key;
    const page = (body: unknown) => fromPage('https://any.example', '/v1/models/fixture-multitask/infer', { key: bound, body });
    expect((await page(infer)).status).toBe(200);
    await expectProblem(await page({ ...infer, alias: 'canary' }), 403, /fixture-multitask@canary/);
    await expectProblem(await page({ ...infer, version: 1 }), 403, /version 1 of "fixture-multitask"/);
  });

  it('follows the tenant default origins when the key names none', async () => {
    const loose = (await json<Key>(await call('/v1/publishable-keys', { key: owner, body: { models: ['fixture-multitask'] } }), 201)).key;
    const page = () => fromPage('https://default.example', '/v1/models/fixture-multitask/infer', { key: loose, body: infer });
    await expectProblem(await page(), 403, /may not be used from/);
    await json(
      await call('/v1/origins', {
        key: owner,
        method: 'PUT',
        body: { default_origins: ['https://default.example'], secret_key_origins: [] },
      }),
    );
    expect((await page()).status).toBe(200);
  });
});

describe('a secret key in a web page', () => {
  it('is refused in words the page can read, unless the tenant allowed that origin', async () => {
    const res = await fromPage('https://intranet.example', '/v1/models/fixture-multitask/infer', { key: s.key, body: infer });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://intranet.example');
    const problem = await expectProblem(res, 403, /secret key \(chm_…\) was sent from a web page/);
    expect(problem.type).toMatch(/secret-key-in-browser$/);
    await json(
      await call('/v1/origins', {
        key: owner,
        method: 'PUT',
        body: { default_origins: [], secret_key_origins: ['https://intranet.example'] },
      }),
    );
    expect((await fromPage('https://intranet.example', '/v1/models/fixture-multitask/infer', { key: s.key, body: infer })).status).toBe(
      200,
    );
  });
  it('never travels in the URL', async () => {
    await expectProblem(await call(`/v1/models/fixture-multitask/infer?key=${s.key}`, { body: infer }), 401, /only a publishable key/);
  });
  it('is unaffected on the Worker own origin (its console)', async () => {
    const res = await fromPage('http://chimera.test', '/v1/models/fixture-multitask/infer', { key: s.key, body: infer });
    expect(res.status).toBe(200);
  });
});

describe('preflights', () => {
  const preflight = (path: string, origin: string) =>
    SELF.fetch(`http://chimera.test${path}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });

  it('are answered for a key in the URL from its origins, and cached two hours', async () => {
    const pk = (
      await json<Key>(await call('/v1/publishable-keys', { key: owner, body: { models: ['fixture-multitask'], origins: [SITE] } }), 201)
    ).key;
    const ok = await preflight(`/v1/models/fixture-multitask/infer?key=${pk}`, SITE);
    expect(ok.status).toBe(204);
    const names = ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-max-age'];
    expect(Object.fromEntries(names.map((n) => [n, ok.headers.get(n)]))).toEqual({
      'access-control-allow-origin': SITE,
      'access-control-allow-methods': 'GET, HEAD, POST',
      'access-control-allow-headers': 'authorization,content-type',
      'access-control-max-age': '7200',
    });
    expect(ok.headers.get('vary')).toMatch(/Origin/);
    const refused = await preflight(`/v1/models/fixture-multitask/infer?key=${pk}`, 'https://copycat.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('without a key in the URL are answered on API paths (the request decides), never on admin ones', async () => {
    expect((await preflight('/v1/models/fixture-multitask/infer', 'https://any.example')).headers.get('access-control-allow-origin')).toBe(
      'https://any.example',
    );
    expect((await preflight('/v1/admin/tenants', 'https://any.example')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight('/healthz', 'https://any.example')).status).not.toBe(204);
  });

  it('leave the admin API closed to other origins', async () => {
    const res = await call('/v1/admin/tenants', { headers: { authorization: 'Bearer test-admin-token', origin: SITE } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    await expectProblem(res, 403, /admin API takes no requests from web pages/);
  });
});

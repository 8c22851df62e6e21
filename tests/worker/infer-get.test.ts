// Inference by GET (issue 16): a pinned version's answer is cacheable (a day, immutable)
// and a repeat is answered from the location's edge cache; an alias's answer is
// revalidated each time (304 while the alias picks the same version) and changes as soon
// as the alias does.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { publishPackage } from '../../functions/domain/versions.ts';
import { fixturePackage } from '../../models/multitask/fixture.ts';
import { call, db, expectProblem, type Seeded, seed } from './helpers.ts';

let s: Seeded;
const tiny = { vocab: 512, dim: 8, hidden: [8] };
beforeAll(async () => {
  s = await seed();
  for (const seedValue of [71, 72]) {
    const pkg = await fixturePackage({ name: 'cached', seed: seedValue, shape: tiny });
    await publishPackage(db(), env.MODELS, pkg, { owner: s.tenantId, model: 'cached', ...(seedValue === 71 ? { alias: 'prod' } : {}) });
  }
});

const get = (path: string, headers: Record<string, string> = {}) => call(path, { key: s.key, headers });
type Answer = { version: number; alias: string | null; results: Record<string, { label: string; score: number }>[] };

describe('GET /v1/models/{model}/versions/{version}/infer', () => {
  it('answers like POST, then from the edge cache, with an ETag and a day of browser caching', async () => {
    const q = `input=${encodeURIComponent('a gripping film')}&tasks=sentiment,topic`;
    const first = await get(`/v1/models/cached/versions/1/infer?${q}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('private, max-age=86400, immutable');
    expect(first.headers.get('x-chimera-cache')).toBe('miss');
    const body = (await first.json()) as Answer;
    const posted = (await (
      await call('/v1/models/cached/infer', {
        key: s.key,
        body: { inputs: ['a gripping film'], tasks: ['sentiment', 'topic'], version: 1 },
      })
    ).json()) as Answer;
    expect(body.results).toEqual(posted.results);
    expect(body.alias).toBeNull();

    const again = await get(`/v1/models/cached/versions/1/infer?${q}`);
    expect(again.headers.get('x-chimera-cache')).toBe('hit');
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(((await again.json()) as Answer).results).toEqual(body.results);
    const revalidated = await get(`/v1/models/cached/versions/1/infer?${q}`, { 'if-none-match': first.headers.get('etag')! });
    expect(revalidated.status).toBe(304);
  });
  it('takes short inputs only, and the tasks the version has', async () => {
    await expectProblem(await get(`/v1/models/cached/versions/1/infer?input=${'x'.repeat(1001)}`), 422, /at most 1000/);
    await expectProblem(await get('/v1/models/cached/versions/1/infer?input=x&tasks=nope'), 404, /no task "nope"/);
    await expectProblem(await get('/v1/models/cached/versions/9/infer?input=x'), 404, /no version 9/);
  });
});

describe('GET /v1/models/{model}/infer (an alias)', () => {
  it('is revalidated every time, and never reused past the alias change', async () => {
    const path = '/v1/models/cached/infer?input=the+plot+is+a+mess&tasks=sentiment';
    const v1 = await get(path);
    expect(v1.headers.get('cache-control')).toBe('private, no-cache');
    expect((await v1.json()) as Answer).toMatchObject({ version: 1, alias: 'prod' });
    const etag = v1.headers.get('etag')!;
    expect((await get(path, { 'if-none-match': etag })).status).toBe(304);

    const writer = (await issueKey(db(), s.tenantId, ['models:write'])).key;
    const moved = await call('/v1/models/cached/aliases/prod', { key: writer, method: 'PUT', body: { version: 2 } });
    expect(moved.status).toBe(200);
    const v2 = await get(path, { 'if-none-match': etag });
    expect(v2.status).toBe(200);
    expect(v2.headers.get('etag')).not.toBe(etag);
    expect((await v2.json()) as Answer).toMatchObject({ version: 2, alias: 'prod' });
  });
});

describe('the edge cache between tenants', () => {
  it('never answers one tenant from what another asked of a public model (a hit would tell it what they sent)', async () => {
    const path = `/v1/models/fixture-multitask/versions/1/infer?input=${encodeURIComponent('what acme asked in private')}`;
    const mine = await get(path);
    expect(mine.headers.get('x-chimera-cache')).toBe('miss');
    expect((await get(path)).headers.get('x-chimera-cache')).toBe('hit');
    const theirs = await call(path, { key: s.otherKey });
    expect(theirs.status).toBe(200);
    expect(theirs.headers.get('x-chimera-cache')).toBe('miss');
    expect(((await theirs.json()) as Answer).results).toEqual(((await mine.json()) as Answer).results);
  });
});

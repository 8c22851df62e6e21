// Signed package URLs (GET /v1/models/{model}/package and the file URLs it answers): what a
// URL grants, and every way one is refused: expired, altered, made for another tenant,
// issued to a key since revoked, or signed by a URL key the deployment dropped.
import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { issueKey, revokeKey } from '../../functions/domain/keys.ts';
import { signUrl } from '../../functions/domain/packages/signing.ts';
import { publishPackage } from '../../functions/domain/versions.ts';
import { sha256Hex } from '../../models/hash.ts';
import { fixturePackage } from '../../models/multitask/fixture.ts';
import type { ModelPackage } from '../../schemas/api/packages.ts';
import { ApiError } from '../../schemas/api/problems.ts';
import { tenants } from '../../schemas/db/schema.ts';
import { call, db, expectProblem, type Seeded, seed } from './helpers.ts';

type Pkg = z.infer<typeof ModelPackage>;
let s: Seeded;
const tiny = { vocab: 256, dim: 8, hidden: [8] };

beforeAll(async () => {
  s = await seed();
  for (const seedValue of [1, 2]) {
    await publishPackage(db(), env.MODELS, await fixturePackage({ name: 'private', seed: seedValue, shape: tiny }), {
      owner: s.tenantId,
      model: 'private',
      alias: seedValue === 1 ? 'prod' : 'canary',
    });
  }
});

const getPackage = async (query = '', key = s.key, model = 'private') => {
  const res = await call(`/v1/models/${model}/package${query}`, { key });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Pkg;
};
/** A file URL fetched as a browser would: no credentials. */
const fetchUrl = (url: string) => call(url.replace(/^https?:\/\/[^/]+/, ''));
const withParam = (url: string, name: string, value: string) => {
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.toString();
};

describe('GET /v1/models/{model}/package', () => {
  it('answers the manifest and a signed URL per file that serves its bytes without credentials', async () => {
    const pkg = await getPackage();
    expect(pkg).toMatchObject({ model: 'private', version: 1, alias: 'prod' });
    expect(Date.parse(pkg.expires_at) - Date.now()).toBeGreaterThan(590_000);
    expect(pkg.files.map((f) => f.path).sort()).toEqual(pkg.manifest.files.map((f) => f.path).sort());
    for (const f of pkg.files) {
      expect(f.url).toMatch(/^http:\/\/chimera\.test\/v1\/models\/private\/package\/files\/[0-9a-f]{64}\?/);
      const res = await fetchUrl(f.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      expect(res.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(bytes.length).toBe(f.bytes);
      expect(await sha256Hex(bytes)).toBe(f.sha256);
    }
  });

  it('chooses the version as inference does: pinned, an alias, or prod', async () => {
    expect((await getPackage('?version=2')).version).toBe(2);
    expect(await getPackage('?alias=canary')).toMatchObject({ version: 2, alias: 'canary' });
    await expectProblem(await call('/v1/models/private/package?version=1&alias=prod', { key: s.key }), 422, /version or alias/);
    await expectProblem(await call('/v1/models/private/package?version=9', { key: s.key }), 404, /no version 9/);
    await expectProblem(await call('/v1/models/private/package?expires_in=7200', { key: s.key }), 422, /expires_in/);
  });

  it('serves public models to every tenant, and another tenant’s private model to none', async () => {
    expect((await getPackage('', s.otherKey, 'fixture-multitask')).files.length).toBeGreaterThan(0);
    await expectProblem(await call('/v1/models/private/package', { key: s.otherKey }), 404, /no model named "private"/);
  });
});

describe('a signed file URL', () => {
  it('is refused once expired: 403 url-expired', async () => {
    const pkg = await getPackage('?expires_in=1');
    await new Promise((r) => setTimeout(r, 2_100));
    const p = await expectProblem(await fetchUrl(pkg.files[0]!.url), 403, /expired at/);
    expect(p.type).toBe('https://chimera.dev/problems/url-expired');
  });

  it('is refused when any part of it is altered: 403 url-signature', async () => {
    const pkg = await getPackage();
    const [a, b] = pkg.files;
    const url = a!.url;
    const sig = new URL(url).searchParams.get('sig')!;
    const altered = [
      withParam(url, 'sig', `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`),
      withParam(url, 'version', '2'),
      withParam(url, 'expires', String(Number(new URL(url).searchParams.get('expires')) + 3600)),
      withParam(
        url,
        'key',
        s.keyId.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
      ),
      url.replace(a!.sha256, b!.sha256), // another file of the same version
      url.replace('/models/private/', '/models/fixture-multitask/'),
    ];
    for (const u of altered) {
      const p = await expectProblem(await fetchUrl(u), 403, /altered|another tenant/);
      expect(p.type).toBe('https://chimera.dev/problems/url-signature');
    }
  });

  it('is bound to its tenant: moved to another tenant it is refused (403), and that tenant cannot ask for one (404)', async () => {
    const pkg = await getPackage();
    const [other] = await db().select().from(tenants).where(eq(tenants.name, 'globex'));
    const p = await expectProblem(await fetchUrl(withParam(pkg.files[0]!.url, 'tenant', other!.id)), 403, /another tenant/);
    expect(p.type).toBe('https://chimera.dev/problems/url-signature');
    await expectProblem(await call('/v1/models/private/package', { key: s.otherKey }), 404, /no model/);
  });

  it('stops working when the key it was issued to is revoked: 403 url-revoked', async () => {
    const { key, row } = await issueKey(db(), s.tenantId, ['infer']);
    const pkg = await getPackage('', key);
    expect((await fetchUrl(pkg.files[0]!.url)).status).toBe(200);
    await revokeKey(db(), s.tenantId, row.id);
    const p = await expectProblem(await fetchUrl(pkg.files[0]!.url), 403, /revoked/);
    expect(p.type).toBe('https://chimera.dev/problems/url-revoked');
  });

  it('verifies under every URL key held, and is refused once its signing key is dropped', async () => {
    const pkg = await getPackage();
    const f = pkg.files[0]!;
    const q = new URL(f.url).searchParams;
    const claims = {
      tenant: q.get('tenant')!,
      model: 'private',
      version: 1,
      sha256: f.sha256,
      key: q.get('key')!,
      expires: Number(q.get('expires')),
    };
    // u1 is the older key PACKAGE_URL_KEYS still lists (vitest.config.ts): it verifies
    const older = await signUrl({ PACKAGE_URL_KEYS: env.PACKAGE_URL_KEYS.split(',')[1] }, claims);
    expect(older.kid).toBe('u1');
    expect((await fetchUrl(withParam(withParam(f.url, 'kid', older.kid), 'sig', older.sig))).status).toBe(200);
    // a key the deployment no longer holds (rotated out)
    const dropped = await signUrl({ PACKAGE_URL_KEYS: 'u0:YGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn8=' }, claims);
    const p = await expectProblem(await fetchUrl(withParam(withParam(f.url, 'kid', dropped.kid), 'sig', dropped.sig)), 403, /"u0"/);
    expect(p.type).toBe('https://chimera.dev/problems/url-signature');
  });

  it('is a 422 when a part is missing, and signing is a 503 when the secret is not set', async () => {
    const pkg = await getPackage();
    const u = new URL(pkg.files[0]!.url);
    u.searchParams.delete('sig');
    await expectProblem(await fetchUrl(u.toString()), 422, /sig/);
    const refused = await signUrl({}, { tenant: 't', model: 'm', version: 1, sha256: 'a'.repeat(64), key: 'k', expires: 1 }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).type).toBe('signing-disabled');
  });
});

describe('GET /v1/models/{model}/versions/{version}', () => {
  it('answers one version with its manifest and the aliases that route to it', async () => {
    const res = await call('/v1/models/private/versions/2', { key: s.key });
    const body = (await res.json()) as { version: number; manifest: { files: unknown[] }; aliases: string[] };
    expect(body).toMatchObject({ version: 2, aliases: ['canary'] });
    expect(body.manifest.files.length).toBeGreaterThan(0);
    await expectProblem(await call('/v1/models/private/versions/7', { key: s.key }), 404, /no version 7/);
    await expectProblem(await call('/v1/models/private/versions/1', { key: s.otherKey }), 404, /no model/);
  });
});

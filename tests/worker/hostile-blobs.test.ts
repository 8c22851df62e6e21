// Blob ownership (issue 11): a tenant commits only bytes it uploaded itself (or public
// ones), the upload answer says nothing about what other tenants hold, every object's
// real size must be the manifest's, one upload commits once, alias history stays a chain.
import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { ensureTenant } from '../../functions/domain/tenants.ts';
import { publishPackage } from '../../functions/domain/versions.ts';
import { fixturePackage } from '../../models/multitask/fixture.ts';
import type { ModelPackage } from '../../models/package.ts';
import { aliasEvents, models, modelVersions } from '../../schemas/db/schema.ts';
import type { Manifest } from '../../schemas/manifest.ts';
import { call, db, expectProblem } from './helpers.ts';

let owner: string;
let ownerTenant: string;
let thief: string;
let pkg: ModelPackage;
const shape = { vocab: 512, dim: 8, hidden: [8] };
beforeAll(async () => {
  ownerTenant = await ensureTenant(db(), 'owner');
  owner = (await issueKey(db(), ownerTenant, ['infer', 'models:write'])).key;
  thief = (await issueKey(db(), await ensureTenant(db(), 'thief'), ['infer', 'models:write'])).key;
  pkg = await fixturePackage({ name: 'precious', seed: 901, shape });
});

type Upload = { upload_id: string; files: { path: string; upload_url: string }[]; commit_url: string };
const open = async (key: string, model: string, manifest: Manifest) =>
  (await (await call(`/v1/models/${model}/versions`, { key, body: { manifest } })).json()) as Upload;
const put = (key: string, url: string, bytes: Uint8Array) =>
  call(url, { key, method: 'PUT', raw: bytes as unknown as string, headers: { 'content-type': 'application/octet-stream' } });
const commit = (key: string, up: Upload) => call(up.commit_url, { key, method: 'POST' });
async function uploadAll(key: string, model: string, p: ModelPackage) {
  const up = await open(key, model, p.manifest);
  const answers = [];
  for (const f of up.files) answers.push(await (await put(key, f.upload_url, p.files[f.path]!)).json());
  return { up, answers };
}

describe('blob ownership', () => {
  it("refuses a commit naming another tenant's hashes exactly as if the bytes did not exist", async () => {
    const { up } = await uploadAll(owner, 'precious', pkg);
    expect((await commit(owner, up)).status).toBe(201);

    const borrowed = await open(thief, 'borrowed', pkg.manifest);
    const refused = await expectProblem(await commit(thief, borrowed), 422, /missing: model.onnx, model.onnx.data/);
    const nowhere = await fixturePackage({ name: 'nowhere', seed: 902, shape });
    const absent = await open(thief, 'borrowed', nowhere.manifest);
    const missing = await expectProblem(await commit(thief, absent), 422, /missing: model.onnx, model.onnx.data/);
    expect({ ...refused, instance: null }).toEqual({ ...missing, instance: null });
    await expectProblem(await call('/v1/models/borrowed', { key: thief }), 404, /no model/);
  });

  it('answers an upload of bytes another tenant holds exactly as an upload of new bytes', async () => {
    const { answers: held } = await uploadAll(thief, 'copycat', pkg); // the owner stored these bytes in the first test
    const fresh = await fixturePackage({ name: 'copycat', seed: 903, shape });
    const { answers: unseen } = await uploadAll(thief, 'copycat', fresh);
    expect(held).toEqual(unseen);
    // having sent the bytes, the thief may now use them: it proved it holds them
    const up = await open(thief, 'copycat', pkg.manifest);
    expect((await commit(thief, up)).status).toBe(201);
  });

  it("refuses manifests whose sizes are not the objects' real sizes", async () => {
    const mine = await fixturePackage({ name: 'sizes', seed: 904, shape });
    const { up } = await uploadAll(owner, 'sizes', mine);
    expect((await commit(owner, up)).status).toBe(201);
    const [graph, data] = mine.manifest.files as [Manifest['files'][0], Manifest['files'][0]];
    // 2 GB declared for a small file; a 16-byte declaration for a whole graph
    const overstated = { ...mine.manifest, files: [graph, { ...data, bytes: 2 ** 31 }] };
    await expectProblem(await commit(owner, await open(owner, 'sizes', overstated)), 422, /model.onnx.data is \d+ bytes/);
    const understated = {
      ...mine.manifest,
      files: [graph, data, { role: 'external-data' as const, path: 'extra.bin', sha256: graph.sha256, bytes: 16 }],
    };
    await expectProblem(await commit(owner, await open(owner, 'sizes', understated)), 422, /extra.bin is \d+ bytes/);
  });

  it('commits one upload once however many commits race', async () => {
    const mine = await fixturePackage({ name: 'raced', seed: 905, shape });
    const { up } = await uploadAll(owner, 'raced', mine);
    const statuses = (await Promise.all([1, 2, 3, 4].map(() => commit(owner, up)))).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409]);
    const [model] = await db().select().from(models).where(eq(models.name, 'raced'));
    expect(await db().select().from(modelVersions).where(eq(modelVersions.modelId, model!.id))).toHaveLength(1);
  });

  it('keeps alias history a chain when alias changes race', async () => {
    for (const seedValue of [906, 907, 908]) {
      const p = await fixturePackage({ name: 'chained', seed: seedValue, shape });
      await publishPackage(db(), env.MODELS, p, { owner: ownerTenant, model: 'chained', alias: seedValue === 906 ? 'prod' : undefined });
    }
    const moves = Array.from({ length: 12 }, (_, i) => ({ version: (i % 3) + 1 }));
    const answers = await Promise.all(moves.map((body) => call('/v1/models/chained/aliases/prod', { key: owner, body, method: 'PUT' })));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    const [model] = await db().select().from(models).where(eq(models.name, 'chained'));
    const history = await db().select().from(aliasEvents).where(eq(aliasEvents.modelId, model!.id)).orderBy(aliasEvents.id);
    expect(history).toHaveLength(13);
    for (let i = 1; i < history.length; i++) expect(history[i]!.fromTargets, `event ${i}`).toEqual(history[i - 1]!.toTargets);
  });
});

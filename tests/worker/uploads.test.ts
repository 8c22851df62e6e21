// Version uploads: manifest, files streamed to R2 under their hash, then a commit that
// validates everything before the version becomes visible.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { ensureTenant } from '../../functions/domain/tenants.ts';
import { sha256Hex } from '../../models/hash.ts';
import { fixturePackage } from '../../models/multitask/fixture.ts';
import type { ModelPackage } from '../../models/package.ts';
import { blobKey } from '../../models/store.ts';
import type { InferResponse } from '../../schemas/api/infer.ts';
import { call, db, expectProblem, type Seeded, seed } from './helpers.ts';

let s: Seeded;
let writer: string;
let rival: string;
let pkg: ModelPackage;
beforeAll(async () => {
  s = await seed();
  writer = (await issueKey(db(), s.tenantId, ['infer', 'models:write'])).key;
  rival = (await issueKey(db(), await ensureTenant(db(), 'rival'), ['infer', 'models:write'])).key;
  pkg = await fixturePackage({ name: 'uploaded', seed: 31, shape: { vocab: 1024, dim: 16, hidden: [32] } });
});

type Upload = { upload_id: string; files: { path: string; upload_url: string }[]; commit_url: string };
const start = async (manifest: unknown, model = 'uploaded', alias?: string) =>
  call(`/v1/models/${model}/versions`, { key: writer, body: { manifest, ...(alias ? { alias } : {}) } });
const putFile = (url: string, bytes: Uint8Array, key = writer) =>
  call(url, { key, method: 'PUT', raw: bytes as unknown as string, headers: { 'content-type': 'application/octet-stream' } });

describe('uploading a version', () => {
  it('streams files, validates on commit, then serves the version', async () => {
    const up = (await (await start(pkg.manifest, 'uploaded', 'prod')).json()) as Upload;
    expect(up.files.map((f) => f.path)).toEqual(['model.onnx', 'model.onnx.data']);
    for (const f of up.files) {
      const res = await putFile(f.upload_url, pkg.files[f.path]!);
      expect(await res.json()).toEqual({ path: f.path, stored: true });
    }
    await expectProblem(await call(up.commit_url, { key: rival, method: 'POST' }), 404, /no upload/);
    const committed = await call(up.commit_url, { key: writer, method: 'POST' });
    expect(committed.status).toBe(201);
    expect(await committed.json()).toMatchObject({ model: 'uploaded', version: 1, alias: 'prod' });
    const res = await call('/v1/models/uploaded/infer', { key: s.key, body: { inputs: ['hello'] } });
    expect(((await res.json()) as InferResponse).version).toBe(1);
    await expectProblem(await call(up.commit_url, { key: writer, method: 'POST' }), 409, /committed already/);
    await expectProblem(await call('/v1/models/uploaded', { key: rival }), 404, /no model named "uploaded"/);
  });

  it('refuses bytes that do not match and keeps nothing of them', async () => {
    const up = (await (await start(pkg.manifest, 'tampered')).json()) as Upload;
    const data = pkg.files['model.onnx.data']!.slice();
    data[7] = data[7]! ^ 1;
    // the same sha256 as the first test's upload is stored already, so use a fresh one
    const fresh = await fixturePackage({ name: 'tampered', seed: 32, shape: { vocab: 1024, dim: 16, hidden: [32] } });
    const up2 = (await (await start(fresh.manifest, 'tampered')).json()) as Upload;
    const bad = fresh.files['model.onnx.data']!.slice();
    bad[7] = bad[7]! ^ 1;
    await expectProblem(await putFile(up2.files[1]!.upload_url, bad), 422, /has sha256 [0-9a-f]{64}; its manifest declares/);
    expect(await env.MODELS.head(blobKey(fresh.manifest.files[1]!.sha256))).toBeNull();
    const longer = new Uint8Array(fresh.files['model.onnx.data']!.length + 1);
    await expectProblem(await putFile(up2.files[1]!.upload_url, longer), 422, /longer than/);
    await expectProblem(await call(up2.commit_url, { key: writer, method: 'POST' }), 422, /missing: model.onnx, model.onnx.data/);
    await expectProblem(await call('/v1/models/tampered', { key: writer }), 404, /no model/);
    await expectProblem(await putFile(`/v1/uploads/${up.upload_id}/files/other.bin`, data), 404, /no file "other.bin"/);
    await expectProblem(await putFile(up.files[0]!.upload_url, data, rival), 404, /no upload/);
  });

  it('refuses each kind of bad manifest', async () => {
    const m = pkg.manifest;
    const commitWith = async (manifest: typeof m, files: Record<string, Uint8Array>) => {
      const up = (await (await start(manifest, 'bad')).json()) as Upload;
      for (const f of up.files) await putFile(f.upload_url, files[f.path]!);
      return call(up.commit_url, { key: writer, method: 'POST' });
    };
    await expectProblem(await start({ ...m, schema: 'v0' }), 422, /manifest.schema/);
    await expectProblem(await start({ ...m, files: [...m.files, { ...m.files[0]!, path: 'second.onnx' }] }), 422, /exactly one graph/);
    await expectProblem(
      await commitWith({ ...m, tasks: { ...m.tasks, extra: { output: 'nope', kind: 'classification' } } }, pkg.files),
      422,
      /no output "nope"/,
    );
    await expectProblem(
      await commitWith({ ...m, input: { ...m.input, tensors: { ids: 'tokens', weights: 'weights' } } as typeof m.input }, pkg.files),
      422,
      /input "tokens" named by the manifest is not a graph input/,
    );
    const junk = new TextEncoder().encode('definitely not protobuf \u0000\u0001');
    const junkGraph = { ...m.files[0]!, sha256: await sha256Hex(junk), bytes: junk.length };
    await expectProblem(
      await commitWith({ ...m, files: [junkGraph, m.files[1]!] }, { 'model.onnx': junk, 'model.onnx.data': pkg.files['model.onnx.data']! }),
      422,
      /not a valid ONNX model/,
    );
    await expectProblem(await call('/v1/models/bad', { key: writer }), 404, /no model/);
  });
});

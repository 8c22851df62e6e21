// Tenant isolation: every route that takes an id or a name answers another tenant's
// exactly as if it did not exist (404), and lists show only the caller's own.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { ensureTenant } from '../../functions/domain/tenants.ts';
import { publishPackage } from '../../functions/domain/versions.ts';
import { fixturePackage } from '../../models/multitask/fixture.ts';
import { call, db, eventually, seed } from './helpers.ts';

let owner: string;
let other: string;
let uploadId: string;
let mergeId: string;
let batchId: string;
let fileId: string;
const shape = { vocab: 256, dim: 8, hidden: [8] };

beforeAll(async () => {
  const s = await seed();
  owner = (await issueKey(db(), s.tenantId, ['infer', 'models:write', 'usage:read', 'batches'])).key;
  other = (await issueKey(db(), await ensureTenant(db(), 'other'), ['infer', 'models:write', 'usage:read', 'batches'])).key;
  for (const seedValue of [1, 2]) {
    await publishPackage(db(), env.MODELS, await fixturePackage({ name: 'secret', seed: seedValue, shape, int8: false }), {
      owner: s.tenantId,
      model: 'secret',
      alias: 'prod',
    });
  }
  const pkg = await fixturePackage({ name: 'secret', seed: 3, shape });
  uploadId = (
    (await (await call('/v1/models/secret/versions', { key: owner, body: { manifest: pkg.manifest } })).json()) as { upload_id: string }
  ).upload_id;
  mergeId = (
    (await (
      await call('/v1/merges', { key: owner, body: { model: 'secret', base: 1, experts: [{ version: 2 }], method: 'task_arithmetic' } })
    ).json()) as { id: string }
  ).id;
  await call('/v1/models/secret/infer', { key: owner, body: { inputs: ['private words'] } });
  fileId = ((await (await call('/v1/files', { key: owner, raw: '{"input": "private words"}\n' })).json()) as { id: string }).id;
  batchId = ((await (await call('/v1/batches', { key: owner, body: { model: 'secret', input_file: fileId } })).json()) as { id: string })
    .id;
});

const routes: [string, string, unknown?][] = [
  ['GET', '/v1/models/secret'],
  ['POST', '/v1/models/secret/infer', { inputs: ['x'] }],
  ['POST', '/v1/models/secret/infer', { inputs: ['x'], version: 1 }],
  ['PUT', '/v1/models/secret/aliases/prod', { version: 1 }],
  ['POST', '/v1/models/secret/aliases/prod/rollback'],
  ['GET', '/v1/models/secret/aliases/prod/history'],
  ['POST', '/v1/merges', { model: 'secret', base: 1, experts: [{ version: 2 }], method: 'ties' }],
  ['GET', '/v1/merges/MERGE'],
  ['PUT', '/v1/uploads/UPLOAD/files/model.onnx', 'bytes'],
  ['POST', '/v1/uploads/UPLOAD/commit'],
  ['GET', '/v1/batches/BATCH'],
  ['POST', '/v1/batches/BATCH/cancel'],
  ['GET', '/v1/batches/BATCH/results'],
  ['GET', '/v1/batches/BATCH/errors'],
  ['POST', '/v1/batches', { model: 'fixture-multitask', input_file: 'FILE' }],
];

describe('another tenant', () => {
  for (const [method, path, routeBody] of routes) {
    let body = routeBody;
    it(`gets 404 from ${method} ${path}`, async () => {
      const url = path.replace('MERGE', mergeId).replace('UPLOAD', uploadId).replace('BATCH', batchId);
      if (body && typeof body === 'object' && 'input_file' in body) body = { ...body, input_file: fileId };
      const res = await call(url, {
        key: other,
        method,
        ...(typeof body === 'string' ? { raw: body } : body !== undefined ? { body } : {}),
      });
      expect(res.status).toBe(404);
      const text = await res.text();
      expect(text).not.toContain('private words');
      expect(
        (
          await call(
            url
              .replace('secret', 'no-such-model')
              .replace(mergeId, 'no-such-merge')
              .replace(uploadId, 'no-such-upload')
              .replace(batchId, 'no-such-batch'),
            { key: other, method, ...(typeof body === 'string' ? { raw: body } : body !== undefined ? { body } : {}) },
          )
        ).status,
      ).toBe(404);
    });
  }
  it("sees neither the model in lists nor the owner's usage", async () => {
    const list = (await (await call('/v1/models', { key: other })).json()) as { models: { name: string }[] };
    expect(list.models.map((m) => m.name)).not.toContain('secret');
    const batchList = (await (await call('/v1/batches', { key: other })).json()) as { batches: { id: string }[] };
    expect(batchList.batches.map((b) => b.id)).not.toContain(batchId);
    await eventually(
      async () =>
        ((await (await call('/v1/usage?group_by=model', { key: owner })).json()) as { rows: { key: string }[] }).rows.some(
          (r) => r.key === 'secret',
        ) || undefined,
    );
    // the other tenant's usage holds only its own (failed) attempts, never the owner's calls
    const usage = (await (await call('/v1/usage?group_by=model', { key: other })).json()) as {
      rows: { key: string; requests: number; errors: number }[];
    };
    for (const row of usage.rows) expect(row.errors).toBe(row.requests);
  });
});

// Every failure is problem+json with a useful detail, and none of them breaks the isolate.

import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiKeys } from '../../schemas/db/schema.ts';
import { call, db, expectProblem, type Seeded, seed } from './helpers.ts';

let s: Seeded;
beforeAll(async () => {
  s = await seed();
});
const infer = (body: unknown, key = s.key, model = 'fixture-multitask') => call(`/v1/models/${model}/infer`, { key, body });

describe('auth', () => {
  it('asks for a bearer key', async () => {
    const res = await call('/v1/models/fixture-multitask/infer', { body: { inputs: ['x'] } });
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    await expectProblem(res, 401, /Authorization: Bearer/);
  });
  it('refuses an unknown key and one with the right prefix but wrong secret', async () => {
    await expectProblem(await infer({ inputs: ['x'] }, 'chm_nope'), 401, /unknown or revoked/);
    await expectProblem(await infer({ inputs: ['x'] }, `${s.key.slice(0, 12)}${'A'.repeat(28)}`), 401, /unknown or revoked/);
  });
  it('refuses a key without the infer scope', async () => {
    await expectProblem(await infer({ inputs: ['x'] }, s.noScopeKey), 403, /"infer" scope/);
  });
  it('stops a revoked key once the isolate cache (CACHE_TTL_MS, 300 ms here) expires', async () => {
    const { issueKey } = await import('../../functions/domain/keys.ts');
    const k = await issueKey(db(), s.tenantId, ['infer']);
    expect((await infer({ inputs: ['x'] }, k.key)).status).toBe(200);
    await db().update(apiKeys).set({ revokedAt: Date.now() }).where(eq(apiKeys.id, k.row.id));
    await new Promise((r) => setTimeout(r, 350));
    await expectProblem(await infer({ inputs: ['x'] }, k.key), 401, /revoked/);
  });
});

describe('bad requests', () => {
  it('names each invalid field', async () => {
    const res = await infer({ inputs: [], tasks: [], version: 0 });
    const body = (await expectProblem(res, 422, /inputs/)) as unknown as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path).sort()).toEqual(['inputs', 'tasks', 'version']);
  });
  it('reads malformed JSON as a 400', async () => {
    await expectProblem(await call('/v1/models/fixture-multitask/infer', { key: s.key, raw: '{"inputs": [' }), 400, /JSON/);
  });
  it('refuses version and alias together', async () => {
    await expectProblem(await infer({ inputs: ['x'], version: 1, alias: 'prod' }), 422, /not both/);
  });
  it('limits inputs per request, characters per text and body bytes', async () => {
    await expectProblem(await infer({ inputs: Array(65).fill('x') }), 413, /at most 64/);
    await expectProblem(await infer({ inputs: ['ok', 'y'.repeat(4001)] }), 422, /inputs\[1\] has 4001 characters/);
    await expectProblem(await infer({ inputs: ['z'.repeat(1_100_000)] }), 413, /over 1048576 bytes/);
  });
  it('answers unknown model, version, alias and task with 404 naming them', async () => {
    await expectProblem(await infer({ inputs: ['x'] }, s.key, 'no-such-model'), 404, /"no-such-model"/);
    await expectProblem(await infer({ inputs: ['x'], version: 9 }), 404, /no version 9/);
    await expectProblem(await infer({ inputs: ['x'], alias: 'canary' }), 404, /no alias "canary"/);
    await expectProblem(
      await infer({ inputs: ['x'], tasks: ['sentiment', 'toxicity'] }),
      404,
      /no task "toxicity"; it has sentiment, subjectivity, topic/,
    );
  });
  it('gives tensors to a text model a clear 422', async () => {
    await expectProblem(await infer({ inputs: [{ x: [1, 2] }] }), 422, /takes texts/);
  });
  it('answers unknown routes with problem+json', async () => {
    await expectProblem(await call('/v2/nothing'), 404, /no route for GET \/v2\/nothing/);
  });
});

describe('API description', () => {
  it('serves OpenAPI 3.1 from the validating schemas, and a reference page', async () => {
    const doc = (await (await call('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/models/{model}/infer', '/v1/models', '/v1/models/{model}', '/healthz', '/readyz']),
    );
    expect(doc.components.schemas).toHaveProperty('InferRequest');
    expect(doc.components.schemas).toHaveProperty('Problem');
    const docs = await call('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/openapi.json');
  });
  it('lists and describes models', async () => {
    const list = (await (await call('/v1/models', { key: s.key })).json()) as { models: { name: string }[] };
    expect(list.models.map((m) => m.name)).toEqual(['fixture-fp32', 'fixture-multitask']);
    const one = (await (await call('/v1/models/fixture-multitask', { key: s.key })).json()) as {
      manifest: { tasks: { topic: { labels: string[] } } };
      versions: unknown[];
    };
    expect(one).toMatchObject({
      name: 'fixture-multitask',
      owner: 'public',
      latest_version: 1,
      aliases: { prod: [{ version: 1, weight: 1 }] },
    });
    expect(one.manifest.tasks.topic.labels).toEqual(['world', 'sports', 'business', 'science']);
    expect(one.versions[0]).toMatchObject({ version: 1, quantization: 'int8' });
    await expectProblem(await call('/v1/models/unknown', { key: s.key }), 404, /"unknown"/);
  });
  it('reports health and readiness', async () => {
    expect(await (await call('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = (await (await call('/readyz')).json()) as { status: string; checks: object };
    expect(ready).toMatchObject({ status: 'ready', checks: { d1: true, r2: true } });
  });
});

// The OpenAI-compatible surface under the OpenAPI-driven fuzzer (tests/worker/fuzz/): requests
// drawn from /openai/openapi.json, valid ones mostly, broken ones on purpose, against the
// Worker in workerd. No answer may be a 5xx; every error has OpenAI's shape; every 2xx body
// is valid against the document. (Refusals of requests the document allows are not judged
// here: token arrays and untrained `dimensions` are allowed by the schema, refused by rule.)
import { env, SELF } from 'cloudflare:test';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { publishPackage } from '../../functions/domain/versions.ts';
import { fixturePackage } from '../../models/multitask/fixture.ts';
import type { Ctx } from './fuzz/arbitrary.ts';
import { type Credentials, type Operation, operationsOf, requestArb, validatorFor } from './fuzz/requests.ts';
import { call, db, eventually, seed } from './helpers.ts';

const RUNS = 1500;
const LIMIT_MS = 45_000;
type Obj = Record<string, unknown>;
let ops: Operation[];
let ctx: Ctx;
let creds: Credentials;

beforeAll(async () => {
  const s = await seed();
  const { key } = await issueKey(db(), s.tenantId, ['infer', 'batches']);
  const pkg = await fixturePackage({ name: 'fixture-embed', seed: 5, int8: false, embedding: { matryoshka: [16] } });
  await publishPackage(db(), env.MODELS, pkg, { owner: s.tenantId, model: 'fixture-embed', alias: 'prod' });
  const line = (i: number) =>
    JSON.stringify({ custom_id: `c${i}`, method: 'POST', url: '/v1/embeddings', body: { model: 'fixture-embed', input: `t ${i}` } });
  const form = new FormData();
  form.append('purpose', 'batch');
  form.append('file', new Blob([[0, 1, 2].map(line).join('\n')]), 'in.jsonl');
  const json = async (r: Response) => (await r.json()) as Obj;
  const file = await json(
    await SELF.fetch('http://chimera.test/openai/v1/files', { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form }),
  );
  const batch = await json(
    await call('/openai/v1/batches', { key, body: { input_file_id: file.id, endpoint: '/v1/embeddings', completion_window: '24h' } }),
  );
  await eventually(
    async () => ((await json(await call(`/openai/v1/batches/${batch.id}`, { key }))).status === 'completed' ? true : undefined),
    30_000,
  );
  const doc = (await json(await call('/openai/openapi.json'))) as unknown as {
    paths: Record<string, Record<string, Operation>>;
    components: Ctx['components'];
  };
  ops = operationsOf(doc);
  creds = { bearer: key, adminToken: 'unused', triggerSecrets: {} };
  const bare = String(batch.id).replace(/^batch_/, '');
  ctx = {
    components: doc.components,
    hints: {
      named: {
        model: ['fixture-embed', 'fixture-embed@prod', 'fixture-embed@prod#embedding', 'fixture-multitask', 'no-such-model'],
        input: ['a fine film', ['one', 'two'], [''], [[1, 2]]],
        dimensions: [16, 64, 3],
        file_id: [file.id, `file-output-${bare}`, `file-errors-${bare}`, 'file-nope'],
        input_file_id: [file.id, 'file-nope'],
        batch_id: [batch.id, 'batch_nope'],
        endpoint: ['/v1/embeddings', '/v1/chat/completions'],
        completion_window: ['24h', '1h'],
        after: [file.id, batch.id],
      },
      formats: {},
    },
  };
}, 90_000);

describe('the OpenAI surface under OpenAPI-driven fuzzing', () => {
  it(`answers up to ${RUNS} generated requests without a 5xx, errors in OpenAI's shape, 2xx bodies as documented`, async () => {
    expect(ops.length).toBe(12);
    const started = Date.now();
    const found: string[] = [];
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ops).chain((op) => requestArb(op, ctx, creds)),
        async (req) => {
          if (Date.now() - started > LIMIT_MS) return;
          const res = await SELF.fetch(req.url, { method: req.method, headers: req.headers, body: req.body as BodyInit | undefined });
          const text = await res.text();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const where = `${req.method} ${req.url} (${req.op.operationId}) → ${res.status}: ${text.slice(0, 200)}`;
          if (res.status >= 500) found.push(where);
          else if (res.status >= 400) {
            const body = JSON.parse(text) as { error?: { type?: unknown; message?: unknown } };
            if (typeof body.error?.type !== 'string' || typeof body.error.message !== 'string')
              found.push(`not OpenAI's error shape: ${where}`);
          } else {
            const schema = req.op.responses[String(res.status)]?.content?.['application/json']?.schema;
            if (schema && !validatorFor(schema, ctx.components).validate(JSON.parse(text)).valid)
              found.push(`body not as documented: ${where}`);
          }
        },
      ),
      { numRuns: RUNS, seed: Date.now() % 2 ** 31 },
    );
    console.log(
      `openai fuzz: ${[...statuses.values()].reduce((a, b) => a + b, 0)} requests; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    expect(found.slice(0, 10)).toEqual([]);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(50);
  }, 120_000);
});

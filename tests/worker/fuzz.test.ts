// An OpenAPI-driven fuzzer: requests drawn from the document the Worker serves (fast-check
// arbitraries from its JSON Schemas, valid ones mostly, broken ones on purpose) against
// the Worker in workerd, every answer checked against the same document (fuzz/oracle.ts).
// Bounded: RUNS requests or LIMIT_MS, whichever ends first.
//
// Rules the document can state only in words are applied to what is drawn, so that a
// request the document calls valid is one the server must take: alias targets name each
// version once; a manifest's file paths are unique and a tokenizer.json tokenizer names
// one of its files.
import { env, SELF } from 'cloudflare:test';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { publishPackage } from '../../functions/domain/versions.ts';
import { fixturePackage } from '../../models/multitask/fixture.ts';
import type { Ctx } from './fuzz/arbitrary.ts';
import { violations } from './fuzz/oracle.ts';
import { type Credentials, type Fixup, type Operation, operationsOf, requestArb } from './fuzz/requests.ts';
import { call, db, eventually, receiver, seed } from './helpers.ts';

const RUNS = 5000;
const LIMIT_MS = 90_000;
/** one request may take this long (a cold model load included) */
const ANSWER_MS = 15_000;

type Obj = Record<string, unknown>;
let ops: Operation[];
let ctx: Ctx;
let creds: Credentials;
let manifest: Obj;
let files: Uint8Array[];

const FIXUPS: Record<string, Fixup> = {
  putAlias: (b) => {
    if (!Array.isArray(b.targets)) return b;
    const seen = new Set<unknown>();
    return { ...b, targets: b.targets.filter((t) => !seen.has((t as Obj)?.version) && seen.add((t as Obj)?.version)) };
  },
  createVersion: (b) => {
    const m = b.manifest as Obj | undefined;
    if (!m || !Array.isArray(m.files)) return b;
    const seen = new Set<unknown>();
    const files = m.files.filter((f) => !seen.has((f as Obj)?.path) && seen.add((f as Obj)?.path));
    const tokenizer = ((m.input as Obj | undefined)?.tokenizer ?? {}) as Obj;
    if (tokenizer.type === 'tokenizer.json' && !files.some((f) => (f as Obj).path === tokenizer.file && (f as Obj).role === 'tokenizer'))
      files.push({ role: 'tokenizer', path: tokenizer.file, sha256: '0'.repeat(64), bytes: 1 });
    return { ...b, manifest: { ...m, files } };
  },
};

beforeAll(async () => {
  const s = await seed();
  const d = db();
  const { key } = await issueKey(d, s.tenantId, ['infer', 'models:write', 'batches', 'usage:read']);
  // keys the fuzzer may revoke and rotate: never its own
  const spare = await Promise.all([1, 2, 3].map(() => issueKey(d, s.tenantId, ['infer'])));
  for (const [n, seedValue] of [11, 12].entries()) {
    const pkg = await fixturePackage({ name: 'fuzz-own', seed: seedValue, int8: true });
    manifest = pkg.manifest as unknown as Obj;
    files = Object.values(pkg.files);
    await publishPackage(d, env.MODELS, pkg, { owner: s.tenantId, model: 'fuzz-own', ...(n === 0 ? { alias: 'prod' } : {}) });
  }
  const json = (r: Response) => r.json() as Promise<Obj>;
  const upload = await json(await call('/v1/models/fuzz-own/versions', { key, body: { manifest } }));
  const file = await json(
    await SELF.fetch('http://chimera.test/v1/files', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
      body: '{"custom_id":"a","input":"one"}\n{"input":"two"}\n',
    }),
  );
  const batch = await json(
    await call('/v1/batches', { key, body: { model: 'fixture-multitask', inputs: ['x'], webhook: { url: `${receiver}/hook?case=fuzz` } } }),
  );
  const trigger = await json(await call('/v1/triggers', { key, body: { name: 'fuzz', batch: { model: 'fixture-multitask' } } }));
  const merge = await json(
    await call('/v1/merges', { key, body: { model: 'fuzz-own', base: 1, experts: [{ version: 2 }], method: 'task_arithmetic' } }),
  );
  const delivery = await eventually(async () => {
    const { deliveries } = (await json(await call('/v1/webhooks/deliveries', { key }))) as { deliveries: Obj[] };
    return deliveries[0]?.id as string | undefined;
  }, 20_000);

  const doc = (await json(await call('/openapi.json'))) as unknown as {
    paths: Record<string, Record<string, Operation>>;
    components: Ctx['components'];
  };
  ops = operationsOf(doc);
  creds = { bearer: key, adminToken: 'test-admin-token', triggerSecrets: { [trigger.id as string]: trigger.secret as string } };
  ctx = {
    components: doc.components,
    hints: {
      named: {
        model: ['fixture-multitask', 'fuzz-own', 'fixture-fp32', 'no-such-model'],
        alias: ['prod', 'canary'],
        version: [1, 2, 3],
        base: [1, 2],
        tasks: [['sentiment'], ['sentiment', 'topic'], ['no-such-task']],
        inputs: [['a gripping film', 'the plot is a mess'], ['x']],
        input_file: [file.id, 'no-such-file'],
        unlabelled_file: [file.id],
        upload: [upload.upload_id, crypto.randomUUID()],
        path: ['model.onnx', 'model.onnx.data', 'nope.bin'],
        id: [batch.id, merge.id, delivery, 'no-such-id'],
        trigger: [trigger.id, 'trg_nope'],
        tenant: [s.tenantId, 'globex', 'no-such-tenant'],
        key: [...spare.map((k) => k.row.id), 'no-such-key'],
        manifest: [manifest],
        experts: [[{ version: 1 }, { version: 2 }], [{ version: 2, weight: 0.5 }]],
        events: [['batch.completed'], ['no.such.event']],
      },
      bytes: files,
      formats: { uri: fc.constantFrom(`${receiver}/hook?case=fuzz`, 'https://example.invalid/hook', 'not a url') },
    },
  };
}, 60_000);

describe('the API under OpenAPI-driven fuzzing', () => {
  it(
    `answers ${RUNS} generated requests within the document, without a 5xx`,
    async () => {
      expect(ops.length).toBeGreaterThanOrEqual(35);
      const started = Date.now();
      const found: string[] = [];
      const statuses = new Map<number, number>();
      const covered = new Set<string>();
      let sent = 0;
      let valid = 0;
      const arbitrary = fc.constantFrom(...ops).chain((op) => requestArb(op, ctx, creds, FIXUPS[op.operationId]));
      const seedValue = Date.now() % 2 ** 31;
      await fc.assert(
        fc.asyncProperty(arbitrary, async (req) => {
          let res: Response;
          let text: string;
          try {
            const init = {
              method: req.method,
              headers: req.headers,
              body: req.body as BodyInit | undefined,
              signal: AbortSignal.timeout(ANSWER_MS),
            };
            res = await SELF.fetch(req.url, init);
            text = new TextDecoder().decode(await res.arrayBuffer());
          } catch (e) {
            found.push(`${req.method} ${req.url} (${req.op.operationId}) → no answer: ${(e as Error).message}`);
            return true;
          }
          sent++;
          if (req.docValid) valid++;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          covered.add(`${req.op.operationId} ${res.status}`);
          for (const v of violations(req, res, text, ctx)) {
            if (found.length < 20)
              found.push(
                `${req.method} ${req.url} (${req.op.operationId}${req.docValid ? ', valid' : ''}) → ${res.status}: ${v}\n  body: ${typeof req.body === 'string' ? req.body.slice(0, 300) : `${req.body?.length ?? 0} bytes`}\n  answer: ${text.slice(0, 300)}`,
              );
          }
          return true;
        }),
        { numRuns: RUNS, seed: seedValue, interruptAfterTimeLimit: LIMIT_MS, markInterruptAsFailure: false },
      );
      const seconds = (Date.now() - started) / 1000;
      console.info(
        `fuzz: ${sent} requests (${valid} valid by the document) over ${new Set([...covered].map((c) => c.split(' ')[0])).size} operations in ${seconds.toFixed(1)} s (seed ${seedValue}); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
      );
      const succeeded = new Set([...covered].filter((c) => /\s2\d\d$/.test(c)).map((c) => c.split(' ')[0]));
      console.info(
        `fuzz: operations never answered 2xx: ${
          ops
            .map((o) => o.operationId)
            .filter((id) => !succeeded.has(id))
            .join(', ') || 'none'
        }`,
      );
      expect(found, found.join('\n')).toEqual([]);
      expect(sent).toBeGreaterThanOrEqual(Math.min(RUNS, 300));
      expect(new Set([...covered].map((c) => c.split(' ')[0])).size).toBe(ops.length);
    },
    LIMIT_MS + 60_000,
  );
});

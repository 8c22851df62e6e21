// What a publishable key reaches (issue 16): inference on the models named on it, and
// nothing else. Every operation of both documents (/openapi.json and the OpenAI surface's
// /openai/openapi.json) is called with one, from its own origin and from no page at all:
// all but inference are refused before anything is read (401 or 403, never 2xx or 404),
// and inference runs only on its named model.
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { call, db, seed } from './helpers.ts';

const SITE = 'https://shop.example';
type Doc = { paths: Record<string, Record<string, { security?: unknown[] }>> };

/** the operations a publishable key may call (its model filled in below) */
const INFERENCE = new Set([
  'POST /v1/models/{model}/infer',
  'GET /v1/models/{model}/infer',
  'GET /v1/models/{model}/versions/{version}/infer',
  'POST /openai/v1/embeddings',
]);
/** operations that take no key (health, signed package URLs, signed hooks): a publishable
 * key must change nothing there */
const isOpen = (o: { security?: unknown[] }) => Array.isArray(o.security) && o.security.length === 0;

let pk: string;
let tenant: string;
let operations: { method: string; path: string; open: boolean }[];

beforeAll(async () => {
  const s = await seed();
  tenant = s.tenantId;
  const owner = (await issueKey(db(), s.tenantId, ['keys'])).key;
  const res = await call('/v1/publishable-keys', { key: owner, body: { models: ['fixture-multitask'], origins: [SITE] } });
  pk = ((await res.json()) as { key: string }).key;
  operations = [];
  for (const doc of ['/openapi.json', '/openai/openapi.json']) {
    const { paths } = (await (await call(doc)).json()) as Doc;
    for (const [path, methods] of Object.entries(paths))
      for (const method of Object.keys(methods))
        if (['get', 'post', 'put', 'patch', 'delete'].includes(method))
          operations.push({ method: method.toUpperCase(), path, open: isOpen(methods[method]!) });
  }
});

/** A URL for the operation: its model the key's own, other names and ids made up. */
const fill = (path: string, model = 'fixture-multitask') =>
  path
    .replace('{model}', model)
    .replace('{version}', '1')
    .replace('{alias}', 'prod')
    .replace('{tenant}', tenant)
    .replace(/\{[a-z0-9_]+\}/g, 'x');
const BODIES: Record<string, unknown> = {
  'POST /v1/models/{model}/infer': { inputs: ['a fine film'] },
};
let address = 0;
/** each call from its own client address: the per-address limit (5 a minute here) is not what is tested */
const send = (op: { method: string; path: string }, origin: string | undefined, model?: string, key: string | undefined = pk) => {
  const name = `${op.method} ${op.path}`;
  const url = fill(op.path, model) + (op.method === 'GET' && op.path.endsWith('/infer') ? '?input=a%20fine%20film' : '');
  const body = op.method === 'GET' || op.method === 'DELETE' ? undefined : (BODIES[name] ?? {});
  const headers: Record<string, string> = { 'cf-connecting-ip': `203.0.113.${++address % 250}`, ...(origin ? { origin } : {}) };
  return call(url, { method: op.method, ...(key ? { key } : {}), ...(body === undefined ? {} : { body }), headers });
};

describe('a publishable key against every operation', () => {
  it('covers both documents', () => {
    expect(operations.length).toBeGreaterThan(60);
    for (const name of INFERENCE) expect(operations.map((o) => `${o.method} ${o.path}`)).toContain(name);
  });

  for (const origin of [SITE, undefined]) {
    it(`is refused everywhere but inference (${origin ? 'from its origin' : 'no origin'})`, async () => {
      const answered: Record<string, number> = {};
      const open: Record<string, [number, number]> = {};
      for (const op of operations) {
        const name = `${op.method} ${op.path}`;
        if (INFERENCE.has(name)) continue;
        if (op.open) open[name] = [(await send(op, origin)).status, (await send(op, origin, undefined, '')).status];
        else answered[name] = (await send(op, origin)).status;
      }
      const leaks = Object.entries(answered).filter(([, status]) => status !== 401 && status !== 403);
      expect(leaks).toEqual([]);
      expect(Object.keys(answered).length).toBeGreaterThan(50);
      // where no key is asked for, the key makes no difference
      for (const [name, [withKey, without]] of Object.entries(open)) expect(withKey, name).toBe(without);
      expect(Object.keys(open).sort()).toEqual([
        'GET /healthz',
        'GET /readyz',
        'GET /v1/models/{model}/package/files/{sha256}',
        'POST /v1/hooks/{trigger}',
      ]);
    });
  }

  it('runs inference on its model, and on no other', async () => {
    for (const op of operations.filter((o) => INFERENCE.has(`${o.method} ${o.path}`) && !o.path.startsWith('/openai'))) {
      expect((await send(op, SITE)).status, `${op.method} ${op.path}`).toBe(200);
      expect((await send(op, SITE, 'fixture-fp32')).status, `${op.method} ${op.path} on another model`).toBe(403);
    }
    // the fixture model has no embedding task; the key may call it, the task is what is missing
    const embed = { method: 'POST', path: '/openai/v1/embeddings' };
    BODIES['POST /openai/v1/embeddings'] = { model: 'fixture-multitask', input: 'a' };
    const embeddings = await send(embed, SITE);
    expect(embeddings.status).toBe(404);
    expect(await embeddings.json()).toMatchObject({ error: { code: 'task_not_found' } });
    BODIES['POST /openai/v1/embeddings'] = { model: 'fixture-fp32', input: 'a' };
    const other = await send(embed, SITE);
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ error: { type: 'permission_error' } });
  });
});

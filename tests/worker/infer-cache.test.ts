// The opt-in response cache of POST inference (issue 14): a pinned version's answer to an
// identical request comes from the location's edge cache when the caller sends
// Cache-Control: max-age, byte for byte the same but for timing, billed like a run, and
// never shared between tenants.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { usageEvents } from '../../schemas/db/schema.ts';
import { call, db, eventually, type Seeded, seed } from './helpers.ts';

let s: Seeded;
beforeAll(async () => {
  s = await seed();
});

const PATH = '/v1/models/fixture-multitask/infer';
const post = (body: unknown, cacheControl?: string, key = s.key) =>
  call(PATH, { key, body, headers: cacheControl ? { 'cache-control': cacheControl } : {} });
/** the answer without its timing, as the bytes it is sent as */
const untimed = async (res: Response) => {
  const { timing, ...rest } = (await res.json()) as { timing: unknown };
  return JSON.stringify(rest);
};

describe('POST /v1/models/{model}/infer with Cache-Control: max-age', () => {
  it('answers a repeat from the cache, the same bytes but for timing, and bills it like a run', async () => {
    const body = { inputs: ['kept for a day', 'and a second input'], tasks: ['topic', 'sentiment'], version: 1 };
    const first = await post(body, 'max-age=86400');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-chimera-cache')).toBe('miss');
    const again = await post(body, 'max-age=86400');
    expect(again.headers.get('x-chimera-cache')).toBe('hit');
    const [a, b] = [await untimed(first), await untimed(again)];
    expect(b).toBe(a);
    expect(JSON.parse(b).usage.items).toBe(2);

    const rows = await eventually(async () => {
      const r = (await db().select().from(usageEvents).where(eq(usageEvents.tenantId, s.tenantId))).filter(
        (e) => e.backend === 'cache' && e.operation === 'infer',
      );
      return r.length ? r : undefined;
    });
    expect(rows[0]).toMatchObject({ items: 2, inputTokens: JSON.parse(a).usage.input_tokens, version: 1 });
  });

  it('runs the model without the opt-in, with no-store or no-cache, and for another order of tasks', async () => {
    const body = { inputs: ['asked twice'], tasks: ['topic', 'sentiment'], version: 1 };
    expect((await post(body, 'max-age=60')).headers.get('x-chimera-cache')).toBe('miss');
    expect((await post(body)).headers.get('x-chimera-cache')).toBeNull();
    expect((await post(body, 'max-age=60, no-store')).headers.get('x-chimera-cache')).toBeNull();
    expect((await post(body, 'no-cache, max-age=60')).headers.get('x-chimera-cache')).toBeNull();
    expect((await post(body, 'max-age=0')).headers.get('x-chimera-cache')).toBeNull();
    const reordered = await post({ ...body, tasks: ['sentiment', 'topic'] }, 'max-age=60');
    expect(reordered.headers.get('x-chimera-cache')).toBe('miss');
    expect(Object.keys(((await reordered.json()) as { results: object[] }).results[0]!)).toEqual(['sentiment', 'topic']);
  });

  it('bypasses the cache for an alias, which may pick another version next time', async () => {
    const res = await post({ inputs: ['through prod'] }, 'max-age=60');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-chimera-cache')).toBe('bypass');
    expect((await post({ inputs: ['through prod'] }, 'max-age=60')).headers.get('x-chimera-cache')).toBe('bypass');
  });

  it('reuses no answer older than the max-age asked for', async () => {
    const body = { inputs: ['one second of freshness'], version: 1 };
    expect((await post(body, 'max-age=1')).headers.get('x-chimera-cache')).toBe('miss');
    expect((await post(body, 'max-age=1')).headers.get('x-chimera-cache')).toBe('hit');
    await new Promise((r) => setTimeout(r, 1100));
    expect((await post(body, 'max-age=1')).headers.get('x-chimera-cache')).toBe('miss');
  });

  it("never answers one tenant from another's request", async () => {
    const body = { inputs: ['what acme posted in private'], version: 1 };
    expect((await post(body, 'max-age=60')).headers.get('x-chimera-cache')).toBe('miss');
    expect((await post(body, 'max-age=60')).headers.get('x-chimera-cache')).toBe('hit');
    const theirs = await post(body, 'max-age=60', s.otherKey);
    expect(theirs.status).toBe(200);
    expect(theirs.headers.get('x-chimera-cache')).toBe('miss');
  });

  it('checks limits and tasks before any cache lookup', async () => {
    const res = await post({ inputs: ['x'], tasks: ['nope'], version: 1 }, 'max-age=60');
    expect(res.status).toBe(404);
  });
});

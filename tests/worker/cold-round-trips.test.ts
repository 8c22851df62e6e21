// D1 round trips a cold request waits on, one after another. Deployed, D1 is a network
// hop away (tens of ms from a distant location), so these, not the model, set the
// latency of an isolate's first request. The count is taken by wrapping the platform's
// D1 binding: a query that starts while none is in flight starts a new round trip.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { setAlias } from '../../functions/domain/aliases.ts';
import { issueKey } from '../../functions/domain/keys.ts';
import { findModel } from '../../functions/domain/registry.ts';
import { ensureTenant } from '../../functions/domain/tenants.ts';
import { publishPackage } from '../../functions/domain/versions.ts';
import worker from '../../functions/index.ts';
import { fixtures } from '../fixtures/reference.ts';
import { db } from './helpers.ts';

type Trips = { sequential: number; queries: number };

/** env.DB, counting the round trips made through it. */
function countingD1(d1: D1Database): { binding: D1Database; trips: Trips } {
  const trips: Trips = { sequential: 0, queries: 0 };
  let inFlight = 0;
  const originals = new WeakMap<object, D1PreparedStatement>();
  const trip = <T>(run: () => Promise<T>): Promise<T> => {
    if (inFlight++ === 0) trips.sequential++;
    trips.queries++;
    return run().finally(() => inFlight--);
  };
  const statement = (s: D1PreparedStatement): D1PreparedStatement => {
    const wrapped = new Proxy(s, {
      get(target, prop) {
        const value = Reflect.get(target, prop) as unknown;
        if (typeof value !== 'function') return value;
        if (prop === 'bind') return (...args: unknown[]) => statement(value.apply(target, args));
        if (['all', 'raw', 'run', 'first'].includes(prop as string)) return (...args: unknown[]) => trip(() => value.apply(target, args));
        return value.bind(target);
      },
    });
    originals.set(wrapped, s);
    return wrapped;
  };
  const binding = new Proxy(d1, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'prepare') return (query: string) => statement(value.call(target, query));
      if (prop === 'batch')
        return (all: D1PreparedStatement[]) =>
          trip(() =>
            value.call(
              target,
              all.map((s) => originals.get(s) ?? s),
            ),
          );
      return value.bind(target);
    },
  });
  return { binding, trips };
}

/** model → the tenant that owns it: one each, so that no test finds another's tenant cached */
const owners: Record<string, string> = {};

beforeAll(async () => {
  const { multitask } = await fixtures();
  for (const model of ['trips', 'trips-pinned', 'trips-canary']) {
    owners[model] = await ensureTenant(db(), model);
    await publishPackage(db(), env.MODELS, multitask, { owner: owners[model], model, alias: 'prod' });
  }
  const tenantId = owners['trips-canary']!;
  await publishPackage(db(), env.MODELS, multitask, { owner: tenantId, model: 'trips-canary' });
  const canary = await findModel(db(), tenantId, 'trips-canary');
  await setAlias(
    db(),
    canary,
    'prod',
    [
      { version: 1, weight: 50 },
      { version: 2, weight: 50 },
    ],
    'test',
    'set',
  );
});

/** A request with this key (one the isolate has not seen, unless given), counting its D1
 * round trips. What it reads stays cached for the rest of the file (a TTL of 10 minutes). */
async function infer(model: string, body: object, key?: string) {
  key ??= (await issueKey(db(), owners[model]!, ['infer'])).key;
  const { binding, trips } = countingD1(env.DB);
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`http://chimera.test/v1/models/${model}/infer`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
    { ...env, CACHE_TTL_MS: '600000', DB: binding } as Env,
    ctx,
  );
  expect(res.status, await res.clone().text()).toBe(200);
  await waitOnExecutionContext(ctx);
  return { trips, version: ((await res.json()) as { version: number }).version, key };
}

describe('a cold inference request', () => {
  it('waits on three D1 round trips for an alias: the key, the tenant and model together, the alias and its versions together', async () => {
    expect((await infer('trips', { inputs: ['first of all'] })).trips).toMatchObject({ sequential: 3 });
  });

  it('waits on three for a pinned version: the key, the tenant and model together, the version', async () => {
    expect((await infer('trips-pinned', { inputs: ['first of all'], version: 1 })).trips).toMatchObject({ sequential: 3 });
  });

  it("reads both of a canary's versions with the alias: the other one needs no round trip of its own", async () => {
    const first = await infer('trips-canary', { inputs: ['first of all'] });
    expect(first.trips.sequential).toBe(3);
    const seen = new Set([first.version]);
    for (let i = 0; i < 12; i++) {
      const next = await infer('trips-canary', { inputs: ['and again'] }, first.key);
      expect(next.trips.queries).toBe(0);
      seen.add(next.version);
    }
    expect([...seen].sort()).toEqual([1, 2]);
  });
});

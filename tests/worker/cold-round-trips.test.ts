// D1 round trips a cold request waits on, one after another. Deployed, D1 is a network
// hop away (tens of ms from a distant location), so each adds that much to an isolate's
// first request, and to the first after the caches' TTL. The count is taken by wrapping
// the platform's D1 binding: a query that starts while none is in flight starts a new
// round trip.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { setAlias } from '../../functions/domain/aliases.ts';
import { issueKey } from '../../functions/domain/keys.ts';
import { findModel, PUBLIC_OWNER } from '../../functions/domain/registry.ts';
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
  // a public model, v2 in prod, and a tenant's own of the same name, v1 in prod
  for (let i = 0; i < 2; i++)
    await publishPackage(db(), env.MODELS, multitask, { owner: PUBLIC_OWNER, model: 'trips-shared', alias: 'prod' });
  owners['trips-shared'] = await ensureTenant(db(), 'trips-shared');
  await publishPackage(db(), env.MODELS, multitask, { owner: owners['trips-shared'], model: 'trips-shared', alias: 'prod' });
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

/** A request with this key (a new one of the model's owner, unless given), counting its D1
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
  it('waits on two D1 round trips for an alias: the key, then the tenant beside the model with its alias and versions', async () => {
    expect((await infer('trips', { inputs: ['first of all'] })).trips).toMatchObject({ sequential: 2 });
  });

  it('waits on two for a pinned version: the key, then the tenant beside the model with the version', async () => {
    expect((await infer('trips-pinned', { inputs: ['first of all'], version: 1 })).trips).toMatchObject({ sequential: 2 });
  });

  it("finds a tenant's own model before the public one of the same name, in the same round trips", async () => {
    const own = await infer('trips-shared', { inputs: ['mine'] });
    expect(own).toMatchObject({ version: 1, trips: { sequential: 2 } });
    const otherKey = (await issueKey(db(), owners.trips!, ['infer'])).key;
    const other = await infer('trips-shared', { inputs: ['theirs'] }, otherKey);
    expect(other).toMatchObject({ version: 2, trips: { sequential: 2 } });
  });

  it("reads both of a canary's versions with the alias: the other one needs no round trip of its own", async () => {
    const first = await infer('trips-canary', { inputs: ['first of all'] });
    expect(first.trips.sequential).toBe(2);
    const seen = new Set([first.version]);
    for (let i = 0; i < 12; i++) {
      const next = await infer('trips-canary', { inputs: ['and again'] }, first.key);
      expect(next.trips.queries).toBe(0);
      seen.add(next.version);
    }
    expect([...seen].sort()).toEqual([1, 2]);
  });
});

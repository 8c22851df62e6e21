// Aliases and canaries: weighted routing, stickiness per routing key, rollback, history.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { ensureTenant } from '../../functions/domain/tenants.ts';
import { publishPackage } from '../../functions/domain/versions.ts';
import { fixturePackage } from '../../models/multitask/fixture.ts';
import type { InferResponse } from '../../schemas/api/infer.ts';
import { call, db, expectProblem, type Seeded, seed } from './helpers.ts';

let s: Seeded;
let writer: string;
const tiny = { vocab: 256, dim: 8, hidden: [8] };
beforeAll(async () => {
  s = await seed();
  writer = (await issueKey(db(), s.tenantId, ['infer', 'models:write'])).key;
  for (const seedValue of [1, 2]) {
    await publishPackage(db(), env.MODELS, await fixturePackage({ name: 'mine', seed: seedValue, shape: tiny }), {
      owner: s.tenantId,
      model: 'mine',
      alias: seedValue === 1 ? 'prod' : undefined,
    });
  }
});

const put = (body: unknown, key = writer, model = 'mine') => call(`/v1/models/${model}/aliases/prod`, { key, body, method: 'PUT' });
const versionOf = async (routingKey?: string) => {
  const res = await call('/v1/models/mine/infer', {
    key: s.key,
    body: { inputs: ['x'] },
    headers: routingKey ? { 'x-chimera-routing-key': routingKey } : {},
  });
  return ((await res.json()) as InferResponse).version;
};

describe('aliases', () => {
  it('splits traffic by weight within ±5% over 2,000 requests', async () => {
    expect(
      (
        await put({
          targets: [
            { version: 1, weight: 80 },
            { version: 2, weight: 20 },
          ],
        })
      ).status,
    ).toBe(200);
    let v2 = 0;
    for (let i = 0; i < 2000; i++) if ((await versionOf()) === 2) v2++;
    expect(Math.abs(v2 / 2000 - 0.2)).toBeLessThan(0.05);
  }, 120_000);

  it('keeps one routing key on one version, and splits keys by weight', async () => {
    let v2 = 0;
    for (let i = 0; i < 2000; i++) {
      const key = `user-${i}`;
      const v = await versionOf(key);
      if (i % 100 === 0) for (let k = 0; k < 5; k++) expect(await versionOf(key)).toBe(v);
      if (v === 2) v2++;
    }
    expect(Math.abs(v2 / 2000 - 0.2)).toBeLessThan(0.05);
  }, 120_000);

  it('rolls back to the previous targets and lists every change', async () => {
    await put({ version: 2 });
    expect(await versionOf()).toBe(2);
    const back = await call('/v1/models/mine/aliases/prod/rollback', { key: writer, method: 'POST' });
    expect(((await back.json()) as { targets: unknown }).targets).toEqual([
      { version: 1, weight: 80 },
      { version: 2, weight: 20 },
    ]);
    const history = (await (await call('/v1/models/mine/aliases/prod/history', { key: s.key })).json()) as {
      events: { action: string; from: unknown; to: unknown; actor: string }[];
    };
    expect(history.events.map((e) => e.action)).toEqual(['rollback', 'set', 'set', 'set']); // publish, canary, v2, rollback
    expect(history.events[0]!.to).toEqual(history.events[1]!.from);
    expect(history.events.every((e) => e.actor.length > 0)).toBe(true);
  });

  it('refuses bad changes clearly', async () => {
    await expectProblem(await put({ version: 9 }), 404, /no version 9/);
    await expectProblem(await put({ targets: [{ version: 1, weight: 0 }] }), 422, /targets/);
    await expectProblem(
      await put({
        targets: [
          { version: 1, weight: 1 },
          { version: 1, weight: 2 },
        ],
      }),
      422,
      /at most once/,
    );
    await expectProblem(await put({ version: 1 }, s.key), 403, /models:write/);
    await expectProblem(await put({ version: 1 }, writer, 'fixture-multitask'), 403, /public model/);
    const other = await ensureTenant(db(), 'rival');
    const rivalKey = (await issueKey(db(), other, ['infer', 'models:write'])).key;
    await expectProblem(await put({ version: 1 }, rivalKey), 404, /no model named "mine"/);
    await expectProblem(await call('/v1/models/mine/aliases/prod/history', { key: rivalKey }), 404, /no model named "mine"/);
    await expectProblem(await call('/v1/models/mine/aliases/canary/rollback', { key: writer, method: 'POST' }), 404, /no alias "canary"/);
  });
});

// Inbound hooks: a signed event starts the trigger's batch; tampered, stale and replayed
// hooks are refused.

import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { call, db, eventually, expectProblem, seed } from './helpers.ts';

let key: string;
let trigger: { id: string; url: string; secret: string };
beforeAll(async () => {
  const s = await seed();
  key = (await issueKey(db(), s.tenantId, ['infer', 'batches'])).key;
  trigger = (await (
    await call('/v1/triggers', { key, body: { name: 'nightly', batch: { model: 'fixture-multitask', tasks: ['topic'] } } })
  ).json()) as typeof trigger;
});

const send = (body: string, opts: { id?: string; at?: Date; secret?: string; tamper?: boolean } = {}) => {
  const id = opts.id ?? `msg_${crypto.randomUUID()}`;
  const at = opts.at ?? new Date();
  const signature = new Webhook(opts.secret ?? trigger.secret).sign(id, at, body);
  return call(trigger.url, {
    raw: opts.tamper ? body.replace('a', 'b') : body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature,
    },
  });
};

describe('POST /v1/hooks/{trigger}', () => {
  it('starts the configured batch from a signed hook, once per webhook-id', async () => {
    const body = JSON.stringify({ inputs: ['a match report', 'a market update'] });
    const res = await send(body, { id: 'msg_once' });
    expect(res.status).toBe(202);
    const batch = (await res.json()) as { id: string; tasks: string[]; metadata: Record<string, string> };
    expect(batch.tasks).toEqual(['topic']);
    expect(batch.metadata.trigger).toBe(trigger.id);
    await eventually(async () =>
      ((await (await call(`/v1/batches/${batch.id}`, { key })).json()) as { status: string }).status === 'completed' ? true : undefined,
    );
    await expectProblem(await send(body, { id: 'msg_once' }), 409, /accepted already/);
  });
  it('refuses tampered, stale, unsigned and wrongly signed hooks', async () => {
    const body = JSON.stringify({ inputs: ['a'] });
    await expectProblem(await send(body, { tamper: true }), 401, /refused/);
    await expectProblem(await send(body, { at: new Date(Date.now() - 10 * 60_000) }), 401, /refused/);
    await expectProblem(await send(body, { secret: `whsec_${btoa('someone else entirely, 24')}` }), 401, /refused/);
    await expectProblem(await call(trigger.url, { raw: body }), 401, /refused/);
    await expectProblem(await call('/v1/hooks/trg_nope', { raw: body }), 404, /no such trigger/);
    await expectProblem(await send(JSON.stringify({ nothing: true })), 422, /inputs or input_file/);
  });
});

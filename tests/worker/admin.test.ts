// The admin API: tenants and keys, guarded by the ADMIN_TOKEN secret.
import { describe, expect, it } from 'vitest';
import { call, expectProblem } from './helpers.ts';

const admin = (path: string, init: { body?: unknown; method?: string } = {}) =>
  call(path, { ...init, headers: { authorization: 'Bearer test-admin-token' } });

describe('admin API', () => {
  it('refuses anything but the admin token', async () => {
    await expectProblem(await call('/v1/admin/tenants'), 401, /ADMIN_TOKEN/);
    await expectProblem(await call('/v1/admin/tenants', { headers: { authorization: 'Bearer test-admin-tokem' } }), 401, /ADMIN_TOKEN/);
  });

  it('creates tenants, issues keys shown once, lists, rotates and revokes them', async () => {
    const created = await admin('/v1/admin/tenants', { body: { name: 'Initech', id: 'initech' } });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id: 'initech', name: 'Initech' });
    await expectProblem(await admin('/v1/admin/tenants', { body: { name: 'again', id: 'initech' } }), 409, /exists/);
    expect(((await (await admin('/v1/admin/tenants')).json()) as { tenants: { id: string }[] }).tenants.map((t) => t.id)).toContain(
      'initech',
    );

    const issued = (await (
      await admin('/v1/admin/tenants/initech/keys', { body: { name: 'ci', scopes: ['infer', 'usage:read'] } })
    ).json()) as { id: string; key: string; prefix: string; scopes: string[] };
    expect(issued.key.startsWith(issued.prefix)).toBe(true);
    expect(issued.scopes).toEqual(['infer', 'usage:read']);
    const listed = (await (await admin('/v1/admin/tenants/initech/keys')).json()) as { keys: Record<string, unknown>[] };
    expect(listed.keys).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(issued.key);
    expect((await call('/v1/models', { key: issued.key })).status).toBe(200);

    const rotated = (await (await admin(`/v1/admin/tenants/initech/keys/${issued.id}/rotate`, { method: 'POST' })).json()) as {
      id: string;
      key: string;
      scopes: string[];
    };
    expect(rotated.scopes).toEqual(issued.scopes);
    await expectProblem(await call('/v1/models', { key: issued.key }), 401, /revoked/);
    expect((await call('/v1/models', { key: rotated.key })).status).toBe(200);

    const revoked = await admin(`/v1/admin/tenants/initech/keys/${rotated.id}`, { method: 'DELETE' });
    expect(((await revoked.json()) as { revoked_at: string | null }).revoked_at).not.toBeNull();
    await expectProblem(await call('/v1/models', { key: rotated.key }), 401, /revoked/);
    await expectProblem(await admin(`/v1/admin/tenants/initech/keys/${rotated.id}`, { method: 'DELETE' }), 404, /no live key/);
  });

  it('answers unknown tenants and bad scopes clearly', async () => {
    await expectProblem(await admin('/v1/admin/tenants/nobody/keys'), 404, /no tenant "nobody"/);
    await admin('/v1/admin/tenants', { body: { name: 'x', id: 'scoped' } });
    await expectProblem(await admin('/v1/admin/tenants/scoped/keys', { body: { scopes: ['root'] } }), 422, /scopes/);
  });
});

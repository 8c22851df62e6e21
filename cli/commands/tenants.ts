// `chimera tenant …` and `chimera key …`: the admin API's operations on the local D1
// (or the deployed one with --remote), through the same functions the Worker uses.
import { issueKey, listKeys, revokeKey, rotateKey, SCOPES, type Scope } from '../../functions/domain/keys.ts';
import { ensureTenant } from '../../functions/domain/tenants.ts';
import { applyLocalMigrations, localPlatform, remotePlatform } from '../local.ts';

export interface TenantArgs {
  id?: string;
  tenant?: string;
  key?: string;
  scope?: string[];
  name?: string;
  remote?: boolean;
  'persist-to'?: string;
}

export async function tenantCommand(action: string | undefined, rest: string[], a: TenantArgs): Promise<void> {
  if (!a.remote) applyLocalMigrations(a['persist-to']);
  const platform = a.remote ? await remotePlatform() : await localPlatform(a['persist-to']);
  const need = (v: string | undefined, flag: string) => {
    if (!v) throw new Error(`${flag} is required`);
    return v;
  };
  try {
    const { db } = platform;
    switch (action) {
      case 'tenant-create': {
        const name = need(rest[0], 'a tenant NAME');
        console.log(JSON.stringify({ id: await ensureTenant(db, name, a.id), name }));
        break;
      }
      case 'key-issue': {
        const scopes = (a.scope ?? ['infer']) as Scope[];
        const bad = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
        if (bad.length) throw new Error(`unknown scope(s) ${bad.join(', ')}; scopes are ${SCOPES.join(', ')}`);
        const k = await issueKey(db, need(a.tenant, '--tenant'), scopes, a.name ?? '');
        console.log(JSON.stringify({ id: k.row.id, key: k.key, prefix: k.row.prefix, scopes, note: 'the key is shown this once' }));
        break;
      }
      case 'key-list':
        for (const k of await listKeys(db, need(a.tenant, '--tenant'))) {
          console.log(`${k.id}  ${k.prefix}…  ${k.scopes.join(',')}  ${k.revokedAt ? 'revoked' : 'live'}  ${k.name}`);
        }
        break;
      case 'key-rotate': {
        const r = await rotateKey(db, need(a.tenant, '--tenant'), need(a.key, '--key'));
        if (!r) throw new Error(`no live key ${a.key} for tenant ${a.tenant}`);
        console.log(
          JSON.stringify({ id: r.row.id, key: r.key, prefix: r.row.prefix, replaced: a.key, note: 'the key is shown this once' }),
        );
        break;
      }
      case 'key-revoke': {
        const r = await revokeKey(db, need(a.tenant, '--tenant'), need(a.key, '--key'));
        if (!r) throw new Error(`no live key ${a.key} for tenant ${a.tenant}`);
        console.log(`revoked ${r.id} (${r.prefix}…)`);
        break;
      }
      default:
        throw new Error(`unknown action ${action}`);
    }
  } finally {
    await platform.dispose();
  }
}

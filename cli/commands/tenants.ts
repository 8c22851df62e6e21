// `chimera tenant …` and `chimera key …`: the admin API's operations on the local D1
// (or the deployed one with --remote), through the same functions the Worker uses.
import { issueKey, listKeys, revokeKey, rotateKey, SCOPES, type Scope } from '../../functions/domain/keys.ts';
import { changePublishableKey, issuePublishableKey } from '../../functions/domain/publishable-keys.ts';
import { ensureTenant } from '../../functions/domain/tenants.ts';
import type { Db } from '../../functions/infra/db.ts';
import { ModelRef, OriginList } from '../../schemas/api/keys.ts';
import { applyLocalMigrations, localPlatform, remotePlatform } from '../local.ts';

export interface TenantArgs {
  id?: string;
  tenant?: string;
  key?: string;
  scope?: string[];
  name?: string;
  publishable?: boolean;
  models?: string;
  origins?: string;
  remote?: boolean;
  'persist-to'?: string;
}

export async function tenantCommand(action: string | undefined, rest: string[], a: TenantArgs): Promise<void> {
  if (!a.remote) applyLocalMigrations(a['persist-to']);
  const platform = a.remote ? await remotePlatform() : await localPlatform(a['persist-to']);
  try {
    await tenantAction(platform.db, action, rest, a);
  } finally {
    await platform.dispose();
  }
}

const need = (v: string | undefined, flag: string) => {
  if (!v) throw new Error(`${flag} is required`);
  return v;
};

/** One action on an open store (tests open one for many actions; each command its own). */
export async function tenantAction(db: Db, action: string | undefined, rest: string[], a: TenantArgs): Promise<void> {
  switch (action) {
    case 'tenant-create': {
      const name = need(rest[0], 'a tenant NAME');
      console.log(JSON.stringify({ id: await ensureTenant(db, name, a.id), name }));
      break;
    }
    case 'key-issue': {
      if (a.publishable) {
        const models = modelList(need(a.models, '--models'));
        const k = await issuePublishableKey(db, need(a.tenant, '--tenant'), {
          name: a.name ?? '',
          models,
          origins: originList(a.origins),
        });
        console.log(
          JSON.stringify({
            id: k.row.id,
            key: k.key,
            kind: 'publishable',
            models,
            origins: k.row.origins,
            note: 'the key is shown this once',
          }),
        );
        break;
      }
      const scopes = (a.scope ?? ['infer']) as Scope[];
      const bad = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
      if (bad.length) throw new Error(`unknown scope(s) ${bad.join(', ')}; scopes are ${SCOPES.join(', ')}`);
      const k = await issueKey(db, need(a.tenant, '--tenant'), scopes, a.name ?? '');
      console.log(JSON.stringify({ id: k.row.id, key: k.key, prefix: k.row.prefix, scopes, note: 'the key is shown this once' }));
      break;
    }
    case 'key-change': {
      const row = await changePublishableKey(db, need(a.tenant, '--tenant'), need(a.key, '--key'), {
        ...(a.name !== undefined ? { name: a.name } : {}),
        ...(a.models !== undefined ? { models: modelList(a.models) } : {}),
        ...(a.origins !== undefined ? { origins: originList(a.origins) } : {}),
      });
      console.log(JSON.stringify({ id: row.id, name: row.name, models: row.models, origins: row.origins }));
      break;
    }
    case 'key-list':
      for (const k of await listKeys(db, need(a.tenant, '--tenant'))) {
        const reach =
          k.kind === 'publishable'
            ? `publishable  ${k.models?.join(',')}  from ${k.origins?.join(',') ?? 'default origins'}`
            : k.scopes.join(',');
        console.log(`${k.id}  ${k.prefix}…  ${reach}  ${k.revokedAt ? 'revoked' : 'live'}  ${k.name}`);
      }
      break;
    case 'key-rotate': {
      const r = await rotateKey(db, need(a.tenant, '--tenant'), need(a.key, '--key'));
      if (!r) throw new Error(`no live key ${a.key} for tenant ${a.tenant}`);
      console.log(JSON.stringify({ id: r.row.id, key: r.key, prefix: r.row.prefix, replaced: a.key, note: 'the key is shown this once' }));
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
}

const split = (list: string) =>
  list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** --models: checked as the API checks them (that they exist is checked by the domain) */
function modelList(list: string): string[] {
  const models = split(list);
  const bad = models.filter((m) => !ModelRef.safeParse(m).success);
  if (!models.length || bad.length)
    throw new Error(`--models takes model names or name@alias, comma-separated${bad.length ? `; not ${bad.join(', ')}` : ''}`);
  return models;
}

/** --origins: URLs as the API takes them; "default" (or none given) follows the tenant's default origins */
function originList(list: string | undefined): string[] | null {
  if (list === undefined || list === 'default') return null;
  const parsed = OriginList.safeParse(split(list));
  if (!parsed.success)
    throw new Error(`--origins takes origins such as https://shop.example or https://*.shop.example: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

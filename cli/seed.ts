// Seeds a local Chimera: a dev tenant with an API key, and the demo models under the
// public owner with alias prod. Idempotent: a second run reuses what is there.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { findKey, issueKey } from '../functions/domain/keys.ts';
import { PUBLIC_OWNER } from '../functions/domain/registry.ts';
import { ensureTenant } from '../functions/domain/tenants.ts';
import { publishPackage } from '../functions/domain/versions.ts';
import { demoPackages } from './demo-models.ts';
import { localPlatform } from './local.ts';

export interface DevCredentials {
  apiKey: string;
  adminToken: string;
}

export async function seedLocal(opts: { persistTo?: string; credentialsFile: string; log?: (s: string) => void }): Promise<DevCredentials> {
  const log = opts.log ?? (() => {});
  const platform = await localPlatform(opts.persistTo);
  try {
    const { db, env } = platform;
    const saved: Partial<DevCredentials> = existsSync(opts.credentialsFile) ? JSON.parse(readFileSync(opts.credentialsFile, 'utf8')) : {};
    const tenantId = await ensureTenant(db, 'dev', 'dev');
    let apiKey = saved.apiKey;
    if (!apiKey || !(await findKey(db, apiKey))) {
      apiKey = (await issueKey(db, tenantId, ['infer', 'models:write', 'batches', 'usage:read'], 'dev key')).key;
      log('issued a new dev API key');
    }
    const adminToken = saved.adminToken ?? `cat_${crypto.randomUUID().replaceAll('-', '')}`;
    mkdirSync(dirname(opts.credentialsFile), { recursive: true });
    writeFileSync(opts.credentialsFile, JSON.stringify({ apiKey, adminToken }, null, 2));

    for (const demo of await demoPackages()) {
      const r = await publishPackage(db, env.MODELS, demo.pkg, {
        owner: PUBLIC_OWNER,
        model: demo.name,
        alias: 'prod',
        skipIfSameHash: true,
      });
      log(`${r.created ? 'published' : 'already have'} ${demo.name} v${r.version}`);
    }
    return { apiKey, adminToken };
  } finally {
    await platform.dispose();
  }
}

// Local (wrangler dev) D1 and R2 from Node, through wrangler's platform proxy: the same
// .wrangler/state that `wrangler dev` serves from, so what we seed here is what it sees.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type DrizzleD1Database, drizzle } from 'drizzle-orm/d1';
import { getPlatformProxy, unstable_readConfig } from 'wrangler';

export interface LocalPlatform {
  db: DrizzleD1Database;
  env: Env;
  dispose(): Promise<void>;
}

/** Applies migrations to the local D1 at `persistTo` (wrangler's default when unset). */
export function applyLocalMigrations(persistTo?: string): void {
  const args = ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', ...(persistTo ? ['--persist-to', persistTo] : [])];
  const run = spawnSync('npx', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' }, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`wrangler d1 migrations apply failed:\n${run.stdout}\n${run.stderr}`);
}

export async function localPlatform(persistTo?: string): Promise<LocalPlatform> {
  const proxy = await getPlatformProxy<Env>({ persist: persistTo ? { path: `${persistTo}/v3` } : true });
  return { db: drizzle(proxy.env.DB), env: proxy.env, dispose: () => proxy.dispose() };
}

/** The deployed D1 and R2 named in wrangler.toml (needs `wrangler login` and a real
 * database_id), through wrangler's remote bindings: the same code path as local. */
export async function remotePlatform(): Promise<LocalPlatform> {
  const config = unstable_readConfig({ config: 'wrangler.toml' });
  const remote = {
    name: config.name,
    main: resolve(config.main ?? 'functions/index.ts'),
    compatibility_date: config.compatibility_date,
    d1_databases: config.d1_databases.map((d: object) => ({ ...d, remote: true })),
    r2_buckets: config.r2_buckets.map((r: object) => ({ ...r, remote: true })),
  };
  const path = join(mkdtempSync(join(tmpdir(), 'chimera-remote-')), 'wrangler.json');
  writeFileSync(path, JSON.stringify(remote));
  const proxy = await getPlatformProxy<Env>({ configPath: path, remoteBindings: true, persist: false });
  return { db: drizzle(proxy.env.DB), env: proxy.env, dispose: () => proxy.dispose() };
}

// Local (wrangler dev) D1 and R2 from Node, through wrangler's platform proxy: the same
// .wrangler/state that `wrangler dev` serves from, so what we seed here is what it sees.
import { spawnSync } from 'node:child_process';
import { getPlatformProxy } from 'wrangler';
import { drizzle, type DrizzleD1Database } from 'drizzle-orm/d1';

export interface LocalPlatform { db: DrizzleD1Database; env: Env; dispose(): Promise<void> }

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

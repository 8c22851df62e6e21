// `chimera key …` for publishable keys (issue 16), in-process against a local D1 (the
// same store `npm start` uses, in a temporary folder): issued with models and origins,
// checked as the API checks them, changed in place, rotated keeping models and origins,
// listed with what they reach. One store is opened for all of them (a command opens its
// own, after applying the migrations: seconds each).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tenantAction } from '../../cli/commands/tenants.ts';
import { applyLocalMigrations, type LocalPlatform, localPlatform } from '../../cli/local.ts';
import { PUBLIC_OWNER } from '../../functions/domain/registry.ts';
import { ensureTenant } from '../../functions/domain/tenants.ts';
import { publishPackage } from '../../functions/domain/versions.ts';
import { fixturePackage } from '../../models/multitask/fixture.ts';

let dir: string;
let platform: LocalPlatform;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chimera-cli-keys-'));
  applyLocalMigrations(dir);
  platform = await localPlatform(dir);
  const pkg = await fixturePackage({ name: 'tiny', seed: 1, shape: { vocab: 64, dim: 4, hidden: [4] } });
  await publishPackage(platform.db, platform.env.MODELS, pkg, { owner: PUBLIC_OWNER, model: 'tiny', alias: 'prod' });
  await ensureTenant(platform.db, 'shop', 'shop');
}, 120_000);
afterAll(async () => {
  await platform?.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** What the command printed, one string per line. */
async function run(action: string, args: Record<string, unknown>, rest: string[] = []): Promise<string[]> {
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  try {
    await tenantAction(platform.db, action, rest, args);
  } finally {
    log.mockRestore();
  }
  return out;
}

describe('chimera key … --publishable', () => {
  it('issues, changes, rotates and lists a publishable key', async () => {
    const [issued] = await run('key-issue', { tenant: 'shop', publishable: true, models: 'tiny@prod', origins: 'https://shop.example' });
    const made = JSON.parse(issued!) as { id: string; key: string; models: string[]; origins: string[] };
    expect(made).toMatchObject({ models: ['tiny@prod'], origins: ['https://shop.example'] });
    expect(made.key).toMatch(/^chm_pk_/);
    const [changed] = await run('key-change', { tenant: 'shop', key: made.id, models: 'tiny', origins: 'default' });
    expect(JSON.parse(changed!)).toMatchObject({ id: made.id, models: ['tiny'], origins: null });
    const [rotated] = await run('key-rotate', { tenant: 'shop', key: made.id });
    const fresh = JSON.parse(rotated!) as { id: string; key: string };
    const listed = (await run('key-list', { tenant: 'shop' })).join('\n');
    expect(listed).toContain(`${made.id}  ${made.key.slice(0, 15)}…  publishable  tiny  from default origins  revoked`);
    expect(listed).toContain(`${fresh.id}  ${fresh.key.slice(0, 15)}…  publishable  tiny  from default origins  live`);
  }, 240_000);

  it('refuses what the API refuses: an unknown model, a malformed origin', async () => {
    await expect(run('key-issue', { tenant: 'shop', publishable: true, models: 'nope' })).rejects.toThrow(/no model named "nope"/);
    await expect(run('key-issue', { tenant: 'shop', publishable: true, models: 'tiny', origins: 'ftp://x' })).rejects.toThrow(
      /--origins takes/,
    );
  }, 120_000);
});

// `chimera publish PKG --model NAME`: blobs to the local R2, a version (and alias) in the
// local D1 — the same state `npm start` serves.
import { PUBLIC_OWNER } from '../../functions/registry.ts';
import { publishPackage } from '../../functions/versions.ts';
import { applyLocalMigrations, localPlatform } from '../local.ts';
import { readPackageDir } from '../package-dir.ts';

export async function publishCommand(path: string | undefined, opts: { model?: string; alias?: string; owner?: string; persistTo?: string }): Promise<void> {
  if (!path) throw new Error('usage: chimera publish PKG --model NAME [--alias prod]');
  const pkg = await readPackageDir(path);
  const model = opts.model ?? pkg.manifest.name;
  applyLocalMigrations(opts.persistTo);
  const platform = await localPlatform(opts.persistTo);
  try {
    const r = await publishPackage(platform.db, platform.env.MODELS, pkg, { owner: opts.owner ?? PUBLIC_OWNER, model, alias: opts.alias });
    console.log(`published ${model} v${r.version}${opts.alias ? ` (alias ${opts.alias})` : ''} from ${path}`);
  } finally {
    await platform.dispose();
  }
}

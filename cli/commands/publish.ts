// `chimera publish PKG --model NAME`: blobs to R2, a version (and alias) in D1 — the
// local state `npm start` serves, or with --remote the deployed ones in wrangler.toml.
import { PUBLIC_OWNER } from '../../functions/domain/registry.ts';
import { publishPackage } from '../../functions/domain/versions.ts';
import { applyLocalMigrations, localPlatform, remotePlatform } from '../local.ts';
import { readPackageDir } from '../package-dir.ts';

export async function publishCommand(
  path: string | undefined,
  opts: { model?: string; alias?: string; owner?: string; persistTo?: string; remote?: boolean },
): Promise<void> {
  if (!path) throw new Error('usage: chimera publish PKG --model NAME [--alias prod]');
  const pkg = await readPackageDir(path);
  const model = opts.model ?? pkg.manifest.name;
  if (!opts.remote) applyLocalMigrations(opts.persistTo);
  const platform = opts.remote ? await remotePlatform() : await localPlatform(opts.persistTo);
  try {
    const r = await publishPackage(platform.db, platform.env.MODELS, pkg, { owner: opts.owner ?? PUBLIC_OWNER, model, alias: opts.alias });
    console.log(
      `published ${model} v${r.version}${opts.remote ? ' (remote)' : ''}${opts.alias ? ` (alias ${opts.alias})` : ''} from ${path}`,
    );
  } finally {
    await platform.dispose();
  }
}

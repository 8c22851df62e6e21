// The models `npm start` serves, committed under demo/ so a fresh clone serves them at
// once. They are rebuilt by `npm run demo:build` (chimera train-demo, then the merge
// report, which picks TIES parameters on the holdout and writes the int8 merge).
import { join } from 'node:path';
import type { ModelPackage } from '../models/package.ts';
import { readPackageDir } from './package-dir.ts';

export const DEMO_MODELS = ['senteval-multitask', 'senteval-merged'] as const;

export async function demoPackages(dir = 'demo'): Promise<{ name: string; pkg: ModelPackage }[]> {
  return Promise.all(DEMO_MODELS.map(async (name) => ({ name, pkg: await readPackageDir(join(dir, name)) })));
}

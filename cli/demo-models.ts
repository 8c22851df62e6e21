// The models `npm start` serves. Until the trained demo models exist these are the
// random-weight fixtures: the same graph, tokenizer and int8 form, so everything runs.
import { fixturePackage } from '../models/multitask/fixture.ts';
import type { ModelPackage } from '../models/package.ts';

export async function demoPackages(): Promise<{ name: string; pkg: ModelPackage }[]> {
  return [{ name: 'demo-multitask', pkg: await fixturePackage({ name: 'demo-multitask', seed: 7, shape: { vocab: 65536, dim: 64, hidden: [128] } }) }];
}

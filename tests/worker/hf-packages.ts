// globalSetup, in Node: the Hugging Face export fixtures (tests/fixtures/hf, made by the
// real exporter; see tools/fixtures) turned into packages by `chimera import`'s code, with
// the answers onnxruntime and tokenizers gave in Python, for the workerd tests to upload.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { importHfExport } from '../../models/import/hf-export.ts';
import type { Manifest } from '../../schemas/manifest.ts';

const DIR = 'tests/fixtures/hf';
export const SERVED_FIXTURES = ['bert-cls', 'roberta-cls', 'xlmr-cls', 'bert-embed'] as const;
/** a base and two fine-tunes of it, each imported with a task of its own */
export const MERGE_FAMILY = { 'ft-base': 'base', 'ft-a': 'sst2', 'ft-b': 'corpus' } as const;

export interface HfCase {
  id: string;
  text: string;
  text_pair?: string;
  input_ids: number[];
  scores?: number[];
  mean_pooled?: number[];
}
export interface HfPackage {
  manifest: Manifest;
  /** path → base64 */
  files: Record<string, string>;
  expected: { kind: string; labels: string[] | null; cases: HfCase[]; batch: { scores?: number[][]; mean_pooled?: number[][] } };
}

export default async function setup(project: TestProject) {
  const packages: Record<string, HfPackage> = {};
  const fixtures: [string, string | undefined][] = [
    ...SERVED_FIXTURES.map((n) => [n, undefined] as [string, undefined]),
    ...Object.entries(MERGE_FAMILY),
  ];
  for (const [name, task] of fixtures) {
    const files = Object.fromEntries(readdirSync(join(DIR, name)).map((f) => [f, new Uint8Array(readFileSync(join(DIR, name, f)))]));
    const pkg = await importHfExport(files, { name, task });
    packages[name] = {
      manifest: pkg.manifest,
      files: Object.fromEntries(Object.entries(pkg.files).map(([p, b]) => [p, Buffer.from(b).toString('base64')])),
      expected: JSON.parse(readFileSync(join(DIR, name, 'expected.json'), 'utf8')),
    };
  }
  project.provide('hfPackages', packages);
}

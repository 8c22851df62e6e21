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
  for (const name of SERVED_FIXTURES) {
    const files = Object.fromEntries(readdirSync(join(DIR, name)).map((f) => [f, new Uint8Array(readFileSync(join(DIR, name, f)))]));
    const pkg = await importHfExport(files, { name });
    packages[name] = {
      manifest: pkg.manifest,
      files: Object.fromEntries(Object.entries(pkg.files).map(([p, b]) => [p, Buffer.from(b).toString('base64')])),
      expected: JSON.parse(readFileSync(join(DIR, name, 'expected.json'), 'utf8')),
    };
  }
  project.provide('hfPackages', packages);
}

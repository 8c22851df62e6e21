// The CLI's package reader stays inside the package: external-data locations and manifest
// paths with `..` or an absolute path are refused, never read (issue 11).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPackageDir, writePackageDir } from '../../cli/package-dir.ts';
import { sha256Hex } from '../../models/hash.ts';
import { fixturePackage } from '../../models/multitask/fixture.ts';
import { decodeModel, encodeModel } from '../../models/onnx/model.ts';

const shape = { vocab: 64, dim: 4, hidden: [4] };

async function bareOnnxPointingAt(location: string): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'chimera-pkg-'));
  const pkg = await fixturePackage({ name: 'escape', seed: 1, shape });
  const model = decodeModel(pkg.files['model.onnx']!);
  for (const t of model.graph.initializers) if (t.external) t.external.location = location;
  mkdirSync(join(root, 'pkg'));
  writeFileSync(join(root, 'secret.bin'), pkg.files['model.onnx.data']!);
  writeFileSync(join(root, 'pkg', 'model.onnx'), encodeModel(model));
  return join(root, 'pkg', 'model.onnx');
}

describe('readPackageDir', () => {
  it('reads a package folder and a bare .onnx whose data sits beside it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'chimera-pkg-'));
    const pkg = await fixturePackage({ name: 'fine', seed: 2, shape });
    writePackageDir(root, pkg);
    expect((await readPackageDir(root)).manifest.files.map((f) => f.path)).toEqual(['model.onnx', 'model.onnx.data']);
    expect(Object.keys((await readPackageDir(join(root, 'model.onnx'))).files)).toEqual(['model.onnx', 'model.onnx.data']);
  });

  it('refuses external data outside the package folder', async () => {
    await expect(readPackageDir(await bareOnnxPointingAt('../secret.bin'))).rejects.toThrow(/outside the package/);
    await expect(readPackageDir(await bareOnnxPointingAt('sub/../../secret.bin'))).rejects.toThrow(/outside the package/);
    const abs = await bareOnnxPointingAt('placeholder');
    await expect(readPackageDir(await bareOnnxPointingAt(join(abs, '..', '..', 'secret.bin')))).rejects.toThrow(/outside the package/);
  });

  it('refuses manifest paths outside the package folder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'chimera-pkg-'));
    const pkg = await fixturePackage({ name: 'fine', seed: 3, shape });
    writePackageDir(join(root, 'pkg'), pkg);
    const data = pkg.files['model.onnx.data']!;
    writeFileSync(join(root, 'stolen.bin'), data);
    const manifest = {
      ...pkg.manifest,
      files: [pkg.manifest.files[0], { role: 'external-data', path: '../stolen.bin', sha256: await sha256Hex(data), bytes: data.length }],
    };
    writeFileSync(join(root, 'pkg', 'manifest.json'), JSON.stringify(manifest));
    await expect(readPackageDir(join(root, 'pkg'))).rejects.toThrow(/outside the package/);
  });
});

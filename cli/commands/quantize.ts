// `chimera quantize IN OUT`: int8 weights, per output channel (see models/quantize).

import { statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { internalize } from '../../models/onnx/external.ts';
import { decodeModel, encodeModel } from '../../models/onnx/model.ts';
import { buildPackage } from '../../models/package.ts';
import { quantizeModel } from '../../models/quantize/graph.ts';
import { readPackageDir, writePackageDir } from '../package-dir.ts';

export async function quantizeCommand(input?: string, output?: string): Promise<void> {
  if (!input || !output) throw new Error('usage: chimera quantize IN OUT');
  const pkg = await readPackageDir(input);
  if (pkg.manifest.quantization === 'int8') throw new Error(`${input} is already int8`);
  const graph = pkg.manifest.files.find((f) => f.role === 'graph')!;
  const model = internalize(decodeModel(pkg.files[graph.path]!), pkg.files);
  const int8 = quantizeModel(model);
  const { schema: _s, files: _f, ...body } = pkg.manifest;
  const out = await buildPackage(int8, { ...body, quantization: 'int8' });
  if (statSync(input).isDirectory()) {
    writePackageDir(output, out);
  } else {
    writeFileSync(output, encodeModel(int8)); // a bare .onnx in, a bare .onnx out
  }
  const size = (p: typeof pkg) => Object.values(p.files).reduce((s, b) => s + b.length, 0);
  console.log(
    `${basename(input)}: ${(size(pkg) / 2 ** 20).toFixed(1)} MiB fp32 → ${(size(out) / 2 ** 20).toFixed(1)} MiB int8 (${(size(out) / size(pkg)).toFixed(3)}x) in ${output}`,
  );
}

// `chimera quantize IN OUT [--texts FILE]`: int8 weights, per output channel (see
// models/quantize), and how far int8 answers move from float on the user's own texts.
import { statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { internalize } from '../../models/onnx/external.ts';
import { decodeModel, encodeModel } from '../../models/onnx/model.ts';
import { quantizePackage } from '../../models/quantize/package.ts';
import { readPackageDir, writePackageDir } from '../package-dir.ts';
import { compareAnswers, readTexts } from '../quantize-report.ts';

export async function quantizeCommand(input?: string, output?: string, opts: { texts?: string } = {}): Promise<void> {
  if (!input || !output) throw new Error('usage: chimera quantize IN OUT [--texts FILE]');
  const pkg = await readPackageDir(input);
  const out = await quantizePackage(pkg);
  if (statSync(input).isDirectory()) {
    writePackageDir(output, out);
  } else {
    const graph = out.manifest.files.find((f) => f.role === 'graph')!;
    // a bare .onnx in, a bare .onnx out: its weights back inside the graph
    writeFileSync(output, encodeModel(internalize(decodeModel(out.files[graph.path]!), out.files)));
  }
  const size = (p: typeof pkg) => Object.values(p.files).reduce((s, b) => s + b.length, 0);
  console.log(
    `${basename(input)}: ${(size(pkg) / 2 ** 20).toFixed(2)} MiB fp32 → ${(size(out) / 2 ** 20).toFixed(2)} MiB int8 (${(size(out) / size(pkg)).toFixed(3)}x) in ${output}`,
  );
  if (opts.texts) console.log(await compareAnswers(pkg, out, readTexts(opts.texts)));
}

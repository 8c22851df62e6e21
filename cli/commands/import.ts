// `chimera import DIR`: a Hugging Face export folder as a Chimera package, optionally
// its int8 twin too, optionally published (see models/import/hf-export.ts).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ImportError, importHfExport } from '../../models/import/hf-export.ts';
import { quantizePackage } from '../../models/quantize/package.ts';
import { writePackageDir } from '../package-dir.ts';
import { compareAnswers, readTexts } from '../quantize-report.ts';
import { publishCommand } from './publish.ts';

const EXPORT_FILES = ['model.onnx', 'model.onnx_data', 'model.onnx.data', 'tokenizer.json', 'config.json', 'tokenizer_config.json'];

export interface ImportCommandOptions {
  name?: string;
  task?: string;
  out?: string;
  quantize?: boolean;
  publish?: boolean;
  alias?: string;
  /** serve at most this many tokens a text (default: the model's own limit) */
  maxTokens?: number;
  /** with quantize: texts to compare int8 with float on */
  texts?: string;
}

export async function importCommand(dir: string | undefined, opts: ImportCommandOptions): Promise<string> {
  if (!dir || !existsSync(dir) || !statSync(dir).isDirectory())
    throw new Error(
      'usage: chimera import DIR [--name NAME] [--task NAME] [--out DIR] [--max-tokens N] [--quantize [--texts FILE]] [--publish [--alias prod]]',
    );
  const present = new Set(readdirSync(dir));
  const files = Object.fromEntries(EXPORT_FILES.filter((f) => present.has(f)).map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]));
  const name =
    opts.name ??
    basename(dir)
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, '-');
  let pkg: Awaited<ReturnType<typeof importHfExport>>;
  try {
    pkg = await importHfExport(files, { name, task: opts.task, maxTokens: opts.maxTokens });
  } catch (e) {
    if (e instanceof ImportError) throw new Error(`${dir}: ${e.message}`);
    throw e;
  }
  const out = opts.out ?? join('artifacts', 'import', name);
  writePackageDir(out, pkg);
  const [task, spec] = Object.entries(pkg.manifest.tasks)[0]!;
  console.log(
    `${dir} → ${out}: task "${task}" (${spec.kind}${spec.labels ? `: ${spec.labels.join(', ')}` : ''}), inputs ${Object.values(pkg.manifest.input.kind === 'text' ? pkg.manifest.input.tensors : {}).join(', ')}`,
  );
  let served = out;
  if (opts.quantize) {
    served = `${out}-int8`;
    const int8 = await quantizePackage(pkg);
    writePackageDir(served, int8);
    console.log(`int8 package in ${served}`);
    if (opts.texts) console.log(await compareAnswers(pkg, int8, readTexts(opts.texts)));
  }
  if (opts.publish) await publishCommand(served, { model: name, alias: opts.alias ?? 'prod' });
  return served;
}

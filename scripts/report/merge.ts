// A merge of the demo packages in memory, through the same streaming code the CLI and
// the Worker use, into a package whose recipe names what it was made of and inherits
// the experts' training data hashes (so `chimera eval` checks it like a trained model).
import { sha256Hex } from '../../models/hash.ts';
import type { UnlabelledText } from '../../models/merge/adamerging.ts';
import { carriedHeads } from '../../models/merge/heads.ts';
import type { MergeMethod, MergeParams } from '../../models/merge/methods.ts';
import { adaMergingRecipe, inheritedRecipe } from '../../models/merge/recipe.ts';
import { type MergeOutput, mergeStreaming } from '../../models/merge/stream.ts';
import { bytesReader } from '../../models/onnx/index.ts';
import type { ModelPackage } from '../../models/package.ts';
import { Manifest } from '../../schemas/manifest.ts';

export interface DemoModels {
  multitask: ModelPackage;
  experts: ModelPackage[];
}

const input = (p: ModelPackage) => ({ graph: bytesReader(p.files['model.onnx']!), external: (l: string) => bytesReader(p.files[l]!) });

export async function mergeDemo(
  models: DemoModels,
  method: MergeMethod,
  params: MergeParams,
  opts: { quantize?: boolean; unlabelled?: UnlabelledText[]; unlabelledSource?: string; version: string },
): Promise<{ pkg: ModelPackage; out: MergeOutput }> {
  const { multitask, experts } = models;
  const chunks: Uint8Array[] = [];
  const out = await mergeStreaming({
    method,
    params,
    base: input(multitask),
    experts: experts.map(input),
    carried: carriedHeads(
      multitask.manifest,
      experts.map((e) => e.manifest),
    ),
    quantize: opts.quantize,
    unlabelled: opts.unlabelled,
    dataLocation: 'model.onnx.data',
    sink: {
      append: async (b) => {
        chunks.push(b.slice());
      },
    },
  });
  const data = new Uint8Array(out.dataBytes);
  let o = 0;
  for (const c of chunks) {
    data.set(c, o);
    o += c.length;
  }
  const files = { 'model.onnx': out.graph, 'model.onnx.data': data };
  const manifest = Manifest.parse({
    ...multitask.manifest,
    name: 'senteval-merged',
    version: opts.version,
    description: `The six SentEval experts merged with ${method}; each task's head is its expert's.`,
    quantization: opts.quantize ? 'int8' : 'none',
    files: await Promise.all(
      Object.entries(files).map(async ([path, b]) => ({
        role: path.endsWith('.data') ? 'external-data' : 'graph',
        path,
        sha256: await sha256Hex(b),
        bytes: b.length,
      })),
    ),
    recipe: {
      method,
      parameters: params,
      base: { name: multitask.manifest.name, version: multitask.manifest.version },
      experts: experts.map((e) => ({ name: e.manifest.name, version: e.manifest.version })),
      chosenOn: 'holdout (10% of train), with models trained on the rest',
      ...(out.adamerging && { adamerging: adaMergingRecipe(out.adamerging, { source: opts.unlabelledSource }) }),
      ...inheritedRecipe([multitask.manifest, ...experts.map((e) => e.manifest)]),
    },
  });
  return { pkg: { manifest, files }, out };
}

// The int8 twin of a float package: same manifest (quantization int8), same tokenizer
// file, the graph rewritten by quantizeModel.
import { internalize } from '../onnx/external.ts';
import { decodeModel } from '../onnx/model.ts';
import { buildPackage, type ModelPackage } from '../package.ts';
import { quantizeModel } from './graph.ts';

export async function quantizePackage(pkg: ModelPackage): Promise<ModelPackage> {
  if (pkg.manifest.quantization === 'int8') throw new Error(`${pkg.manifest.name} is already int8`);
  const graph = pkg.manifest.files.find((f) => f.role === 'graph')!;
  const model = internalize(decodeModel(pkg.files[graph.path]!), pkg.files);
  const { schema: _s, files: _f, ...body } = pkg.manifest;
  const tokenizer = pkg.manifest.files.find((f) => f.role === 'tokenizer');
  return buildPackage(quantizeModel(model), { ...body, quantization: 'int8' }, { tokenizerJson: tokenizer && pkg.files[tokenizer.path] });
}

// Builds a model package: the graph (weights in an external-data file), a manifest that
// names every file by sha256 and size, and the files themselves keyed by path.
import { Manifest, type ManifestFile } from '../schemas/manifest.ts';
import { sha256Hex } from './hash.ts';
import { externalize } from './onnx/external.ts';
import { encodeModel, type Model } from './onnx/model.ts';

export interface ModelPackage {
  manifest: Manifest;
  files: Record<string, Uint8Array>;
}

export type ManifestBody = Omit<Manifest, 'schema' | 'files'>;

/** ONNX metadata key holding the manifest (less its files), so a bare .onnx file still
 * says how to tokenize its input and what its outputs mean. */
export const MANIFEST_METADATA_KEY = 'chimera.manifest';

export async function buildPackage(
  model: Model,
  body: ManifestBody,
  opts: { external?: boolean; tokenizerJson?: Uint8Array } = {},
): Promise<ModelPackage> {
  const { recipe: _recipe, ...described } = body;
  model = {
    ...model,
    metadata: { ...model.metadata, [MANIFEST_METADATA_KEY]: JSON.stringify({ schema: 'chimera.model/v1', ...described }) },
  };
  const graphPath = 'model.onnx';
  const dataPath = 'model.onnx.data';
  const files: Record<string, Uint8Array> = {};
  const roles: Record<string, ManifestFile['role']> = {};
  if (opts.external ?? true) {
    const { model: graph, data } = externalize(model, dataPath);
    files[graphPath] = encodeModel(graph);
    files[dataPath] = data;
    roles[dataPath] = 'external-data';
  } else {
    files[graphPath] = encodeModel(model);
  }
  roles[graphPath] = 'graph';
  if (opts.tokenizerJson && body.input.kind === 'text' && body.input.tokenizer.type === 'tokenizer.json') {
    files[body.input.tokenizer.file] = opts.tokenizerJson;
    roles[body.input.tokenizer.file] = 'tokenizer';
  }
  const listed: ManifestFile[] = [];
  for (const [path, bytes] of Object.entries(files)) {
    listed.push({ role: roles[path]!, path, sha256: await sha256Hex(bytes), bytes: bytes.length });
  }
  const manifest = Manifest.parse({ schema: 'chimera.model/v1', ...body, files: listed });
  return { manifest, files };
}

// Model packages on disk: a folder with manifest.json beside the files it names. A bare
// .onnx file is read too, with the manifest the graph carries in its metadata. Every
// path a package names (manifest paths, external-data locations) is read only if it
// stays inside the package's folder: a package is often someone else's file.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { sha256Hex } from '../models/hash.ts';
import { decodeModel } from '../models/onnx/model.ts';
import { MANIFEST_METADATA_KEY, type ModelPackage } from '../models/package.ts';
import { Manifest } from '../schemas/manifest.ts';

/** `name` inside `dir`, or an error when it is absolute or climbs out of it. */
function inside(dir: string, name: string): string {
  const path = resolve(dir, name);
  const rel = relative(resolve(dir), path);
  if (isAbsolute(name) || rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new Error(`"${name}" is outside the package folder ${dir}: a package may name only files inside it`);
  }
  return path;
}

export function writePackageDir(dir: string, pkg: ModelPackage): void {
  mkdirSync(dir, { recursive: true });
  for (const [path, bytes] of Object.entries(pkg.files)) writeFileSync(inside(dir, path), bytes);
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(pkg.manifest, null, 2)}\n`);
}

/** Reads and verifies a package folder (every file against its sha256 and size). */
export async function readPackageDir(path: string): Promise<ModelPackage> {
  if (!statSync(path).isDirectory()) return readBareOnnx(path);
  const manifestPath = join(path, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${path} has no manifest.json: not a model package`);
  const parsed = Manifest.safeParse(JSON.parse(readFileSync(manifestPath, 'utf8')));
  if (!parsed.success)
    throw new Error(`${manifestPath} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const files: Record<string, Uint8Array> = {};
  for (const f of parsed.data.files) {
    const bytes = new Uint8Array(readFileSync(inside(path, f.path)));
    const sha = await sha256Hex(bytes);
    if (bytes.length !== f.bytes || sha !== f.sha256)
      throw new Error(`${join(path, f.path)} does not match its manifest (sha256 ${sha}, ${bytes.length} bytes)`);
    files[f.path] = bytes;
  }
  return { manifest: parsed.data, files };
}

/** A bare .onnx (plus its external-data file, if any) whose metadata carries a manifest. */
async function readBareOnnx(path: string): Promise<ModelPackage> {
  const graph = new Uint8Array(readFileSync(path));
  const model = decodeModel(graph);
  const text = model.metadata?.[MANIFEST_METADATA_KEY];
  if (!text) throw new Error(`${path} carries no ${MANIFEST_METADATA_KEY} metadata; pass a package folder instead`);
  const body = JSON.parse(text) as Omit<Manifest, 'files'>;
  const files: Record<string, Uint8Array> = { [basename(path)]: graph };
  const listed = [{ role: 'graph' as const, path: basename(path), sha256: await sha256Hex(graph), bytes: graph.length }];
  const locations = new Set(model.graph.initializers.flatMap((t) => (t.external ? [t.external.location] : [])));
  for (const location of locations) {
    const bytes = new Uint8Array(readFileSync(inside(dirname(path), location)));
    files[location] = bytes;
    listed.push({ role: 'external-data' as never, path: location, sha256: await sha256Hex(bytes), bytes: bytes.length });
  }
  return { manifest: Manifest.parse({ ...body, files: listed }), files };
}

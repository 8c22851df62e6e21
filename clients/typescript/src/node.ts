// @chimera/client/node: what needs a filesystem. A package folder (manifest.json beside
// the files it names) is read lazily, each file streamed from disk when it is sent.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type ChimeraOptions, createChimera } from './client.ts';
import type { Manifest, PackageSource, PublishOptions } from './publish.ts';

export * from './index.ts';

/** A package folder as publish() takes it: the manifest, and each file as a stream opener. */
export async function readPackageDir(dir: string): Promise<PackageSource> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const files: PackageSource['files'] = {};
  for (const f of manifest.files) {
    const path = join(dir, f.path);
    const { size } = await stat(path);
    if (size !== f.bytes) throw new Error(`${path} is ${size} bytes; its manifest says ${f.bytes}`);
    files[f.path] = () => Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  }
  return { manifest, files };
}

/** createChimera, whose publish() also takes a package folder's path. */
export function createNodeChimera(options: ChimeraOptions) {
  const client = createChimera(options);
  return {
    ...client,
    publish: async (model: string, pkg: PackageSource | string, publishOptions?: PublishOptions) =>
      client.publish(model, typeof pkg === 'string' ? await readPackageDir(pkg) : pkg, publishOptions),
  };
}

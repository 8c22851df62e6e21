// Object-storage reads. Model files live content-addressed (blobs/sha256/<hex>); every
// read is checked against the manifest's hash and size before it reaches the runtime
// (the hash by the reader, when it checked the key's on the way in: infra/blob-cache.ts).

import type { ManifestFile } from '../schemas/manifest.ts';
import { ModelError } from './errors.ts';
import { sha256Hex } from './hash.ts';

/** The part of R2Bucket we use, so the CLI can read a local folder the same way. */
export interface BlobReader {
  /** verified: the reader already checked the bytes against the sha256 their key names */
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer>; verified?: boolean } | null>;
}

export const blobKey = (sha256: string): string => `blobs/sha256/${sha256}`;

export async function readVerified(store: BlobReader, file: ManifestFile): Promise<Uint8Array> {
  const object = await store.get(blobKey(file.sha256));
  if (!object) throw new ModelError('integrity', `file ${file.path} (sha256 ${file.sha256}) is missing from storage`);
  const bytes = new Uint8Array(await object.arrayBuffer());
  if (bytes.length !== file.bytes) {
    throw new ModelError('integrity', `file ${file.path} is ${bytes.length} bytes in storage; the manifest says ${file.bytes}`);
  }
  const actual = object.verified ? file.sha256 : await sha256Hex(bytes);
  if (actual !== file.sha256) {
    throw new ModelError('integrity', `file ${file.path} has sha256 ${actual}; the manifest says ${file.sha256}`);
  }
  return bytes;
}

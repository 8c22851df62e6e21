// Object-storage reads. Model files live content-addressed (blobs/sha256/<hex>); every
// read is checked against the manifest's hash and size before it reaches the runtime.
import { ModelError } from './errors.ts';
import type { ManifestFile } from '../schemas/manifest.ts';

/** The part of R2Bucket we use, so the CLI can read a local folder the same way. */
export interface BlobReader {
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>;
}

export const blobKey = (sha256: string): string => `blobs/sha256/${sha256}`;

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function readVerified(store: BlobReader, file: ManifestFile): Promise<Uint8Array> {
  const object = await store.get(blobKey(file.sha256));
  if (!object) throw new ModelError('integrity', `file ${file.path} (sha256 ${file.sha256}) is missing from storage`);
  const bytes = new Uint8Array(await object.arrayBuffer());
  if (bytes.length !== file.bytes) {
    throw new ModelError('integrity', `file ${file.path} is ${bytes.length} bytes in storage; the manifest says ${file.bytes}`);
  }
  const actual = await sha256Hex(bytes);
  if (actual !== file.sha256) {
    throw new ModelError('integrity', `file ${file.path} has sha256 ${actual}; the manifest says ${file.sha256}`);
  }
  return bytes;
}

// Package files (and ORT's WebAssembly) kept in the browser's Cache Storage under their
// sha256, so a model is downloaded once per device whatever URL it came from (signed URLs
// change every time). Every read, cached or fetched, is checked against the hash: a
// corrupt entry is dropped and fetched again, a corrupt download is never stored.
import { sha256Hex } from '../../../../models/hash.ts';
import type { CacheStats } from './protocol.ts';

export interface Wanted {
  sha256: string;
  bytes: number;
  /** for messages */
  path: string;
}

/** The cache key of a content address: a same-origin URL no server route answers. */
const keyOf = (sha256: string) => new Request(new URL(`/.chimera-cache/sha256/${sha256}`, self.location.origin));

async function check(bytes: Uint8Array, want: Wanted): Promise<string | undefined> {
  if (bytes.length !== want.bytes) return `${want.path} is ${bytes.length} bytes; the manifest says ${want.bytes}`;
  const actual = await sha256Hex(bytes);
  return actual === want.sha256 ? undefined : `${want.path} has sha256 ${actual}; the manifest says ${want.sha256}`;
}

/** The bytes of `want`, from the cache or else from `download` (then cached). */
export async function cachedBytes(
  cacheName: string,
  want: Wanted,
  download: () => Promise<Uint8Array>,
  stats: CacheStats,
): Promise<Uint8Array> {
  // Cache Storage exists only in secure contexts (https, localhost, 127.0.0.1)
  const cache = typeof caches === 'undefined' ? undefined : await caches.open(cacheName).catch(() => undefined);
  const hit = await cache?.match(keyOf(want.sha256));
  if (hit) {
    const bytes = new Uint8Array(await hit.arrayBuffer());
    if (!(await check(bytes, want))) {
      stats.hits++;
      return bytes;
    }
    await cache?.delete(keyOf(want.sha256));
  }
  const bytes = await download();
  const problem = await check(bytes, want);
  if (problem) throw new Error(`integrity check failed: ${problem}`);
  stats.misses++;
  await cache
    ?.put(keyOf(want.sha256), new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'application/octet-stream' } }))
    .catch(() => undefined); // a full quota only costs a download next time
  return bytes;
}

export async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) {
    const detail = await res
      .json()
      .then((p: unknown) => (p as { detail?: string }).detail)
      .catch(() => undefined);
    throw new Error(`GET ${new URL(url).pathname} answered ${res.status}${detail ? `: ${detail}` : ''}`);
  }
  return new Uint8Array(await res.arrayBuffer());
}

// Model files through the location's Cache API. Blobs are content-addressed and
// immutable, so a fresh isolate in a location where the model was loaded before reads
// its bytes from the cache instead of R2. Only bytes that matched the sha256 their key
// names are ever put there (this module checks them on the way in), so what the cache
// gives back is marked verified and not hashed again: SHA-256 of the demo model's 8.4 MB
// takes about 10 ms (docs/performance.md). Bytes from R2 that do not match are passed on
// unmarked, for models/store.ts to refuse.
import { sha256Hex } from '../../models/hash.ts';
import type { BlobReader } from '../../models/store.ts';

// a key space of our own in caches.default; v2: entries written since they are checked
// on the way in (v1 entries, unchecked, are never read as verified)
const ORIGIN = 'https://blobs.chimera.internal/v2';
const BLOB_KEY = /^blobs\/sha256\/([0-9a-f]{64})$/;

export function cachedBlobs(bucket: R2Bucket, waitUntil?: (p: Promise<unknown>) => void): BlobReader {
  const cache = (globalThis.caches as (CacheStorage & { default?: Cache }) | undefined)?.default;
  if (!cache) return bucket;
  return {
    async get(key) {
      const url = `${ORIGIN}/${key}`;
      const hit = await cache.match(url);
      if (hit) return { arrayBuffer: () => hit.arrayBuffer(), verified: true };
      const object = await bucket.get(key);
      if (!object) return null;
      const bytes = await object.arrayBuffer();
      const expected = BLOB_KEY.exec(key)?.[1];
      if (!expected || (await sha256Hex(new Uint8Array(bytes))) !== expected) return { arrayBuffer: async () => bytes };
      const stored = cache
        .put(url, new Response(bytes.slice(0), { headers: { 'cache-control': 'public, max-age=31536000, immutable' } }))
        .catch((e: unknown) => console.error(`caching ${key} failed:`, e));
      if (waitUntil) waitUntil(stored);
      else await stored;
      return { arrayBuffer: async () => bytes, verified: true };
    },
  };
}

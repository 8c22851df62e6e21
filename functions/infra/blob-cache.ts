// Model files through the location's Cache API. Blobs are content-addressed and
// immutable, so a fresh isolate in a location where the model was loaded before reads
// its bytes from the cache instead of R2; every read is still checked against the
// manifest's sha256 (models/store.ts), so a bad cache entry is caught, not served.
import type { BlobReader } from '../../models/store.ts';

const ORIGIN = 'https://blobs.chimera.internal'; // a key space of our own in caches.default

export function cachedBlobs(bucket: R2Bucket, waitUntil?: (p: Promise<unknown>) => void): BlobReader {
  const cache = (globalThis.caches as (CacheStorage & { default?: Cache }) | undefined)?.default;
  if (!cache) return bucket;
  return {
    async get(key) {
      const url = `${ORIGIN}/${key}`;
      const hit = await cache.match(url);
      if (hit) return hit;
      const object = await bucket.get(key);
      if (!object) return null;
      const bytes = await object.arrayBuffer();
      const stored = cache
        .put(url, new Response(bytes.slice(0), { headers: { 'cache-control': 'public, max-age=31536000, immutable' } }))
        .catch((e: unknown) => console.error(`caching ${key} failed:`, e));
      if (waitUntil) waitUntil(stored);
      else await stored;
      return { arrayBuffer: async () => bytes };
    },
  };
}

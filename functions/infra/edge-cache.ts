// The location's Cache API (caches.default) as a JSON store under internal keys: what a
// pinned model version answered for an input. Entries are keyed by content (the version's
// id, the tasks, the input), so they never go stale; the TTL only bounds their room. Off
// where there is no Cache API (Node, the CLI).
const KEY_BASE = 'https://edge-cache.chimera.internal/';
const TTL_S = 86_400;

const store = (): Cache | undefined => (typeof caches === 'undefined' ? undefined : (caches as unknown as { default?: Cache }).default);

export async function cacheGet<T>(key: string): Promise<T | undefined> {
  const hit = await store()
    ?.match(KEY_BASE + key)
    .catch(() => undefined);
  return hit ? ((await hit.json()) as T) : undefined;
}

export async function cachePut(key: string, value: unknown): Promise<void> {
  const res = new Response(JSON.stringify(value), {
    headers: { 'content-type': 'application/json', 'cache-control': `public, max-age=${TTL_S}` },
  });
  await store()
    ?.put(KEY_BASE + key, res)
    .catch((e: unknown) => console.error('edge cache put failed:', e));
}

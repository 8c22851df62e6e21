// A small per-isolate cache with a time to live. It lives at module scope, so entries
// outlast one request; the TTL bounds how stale another isolate's change can look here.
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  private readonly maxEntries: number;
  constructor(maxEntries = 5_000) {
    this.maxEntries = maxEntries;
  }

  /** `ttlMs` 0 turns caching off. */
  async get(key: string, ttlMs: number, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > Date.now()) return hit.value;
    const value = await load();
    this.set(key, value, ttlMs);
    return value;
  }

  /** Whether `key` holds a value that has not expired. */
  has(key: string): boolean {
    return (this.entries.get(key)?.expires ?? 0) > Date.now();
  }

  /** Keeps a value read along with another (`ttlMs` 0 keeps nothing). */
  set(key: string, value: V, ttlMs: number): void {
    if (ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expires: Date.now() + ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
  clear(): void {
    this.entries.clear();
  }
}

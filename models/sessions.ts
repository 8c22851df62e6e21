// Per-isolate cache of loaded models. It lives at module scope, so it survives across
// requests for as long as the isolate does. Concurrent first requests for one key share
// one load; loads that fail are remembered only briefly so a fixed model is retried.
// Eviction is LRU under a byte budget counted in real WASM heap, because the heap never
// shrinks: the budget has to hold from the first load, not after the fact. Loads run one
// at a time, each with room made for its estimate first: eight concurrent cold loads of
// different models would otherwise each find the room free and together overrun it.

export interface Cacheable {
  /** heap bytes this entry holds */
  readonly heapBytes: number;
  release(): Promise<void>;
}

export interface CacheOptions {
  budgetBytes: number;
  /** how long a failed load is answered from memory before it is tried again */
  failureTtlMs?: number;
  now?: () => number;
}

/** A model whose heap (estimated, or measured once loaded) is over the whole budget. */
export class OverBudget extends Error {
  readonly bytes: number;
  constructor(key: string, bytes: number, budget: number) {
    super(`${key} needs ${(bytes / 2 ** 20).toFixed(1)} MiB of heap; the budget is ${(budget / 2 ** 20).toFixed(1)} MiB`);
    this.bytes = bytes;
  }
}

export class SessionCache<T extends Cacheable> {
  private readonly ready = new Map<string, T>(); // insertion order = LRU order
  private readonly loading = new Map<string, Promise<T>>();
  private readonly failed = new Map<string, { error: unknown; until: number }>();
  /** the load in progress, if any: the next one starts after it */
  private lastLoad: Promise<unknown> = Promise.resolve();
  private readonly opts: Required<CacheOptions>;
  loads = 0;
  hits = 0;

  constructor(opts: CacheOptions) {
    this.opts = { failureTtlMs: 5_000, now: () => Date.now(), ...opts };
  }

  get budgetBytes(): number {
    return this.opts.budgetBytes;
  }
  get usedBytes(): number {
    let sum = 0;
    for (const e of this.ready.values()) sum += e.heapBytes;
    return sum;
  }
  keys(): string[] {
    return [...this.ready.keys()];
  }

  /** `expectedBytes` is reserved before loading; the entry's real heapBytes replace it. */
  async get(key: string, expectedBytes: number, load: () => Promise<T>): Promise<T> {
    const hit = this.ready.get(key);
    if (hit) {
      this.hits++;
      this.ready.delete(key);
      this.ready.set(key, hit);
      return hit;
    }
    const pending = this.loading.get(key);
    if (pending) return awaitShared(pending);
    const failure = this.failed.get(key);
    if (failure && failure.until > this.opts.now()) throw failure.error;

    if (expectedBytes > this.opts.budgetBytes) throw new OverBudget(key, expectedBytes, this.opts.budgetBytes);
    const previous = this.lastLoad;
    const promise = (async () => {
      await awaitShared(previous); // loads run one at a time; this one's I/O is its own
      await this.makeRoom(expectedBytes);
      this.loads++;
      const entry = await load();
      if (entry.heapBytes > this.opts.budgetBytes) {
        await entry.release();
        throw new OverBudget(key, entry.heapBytes, this.opts.budgetBytes);
      }
      await this.makeRoom(entry.heapBytes);
      this.ready.set(key, entry);
      this.failed.delete(key);
      return entry;
    })();
    this.lastLoad = promise.catch(() => undefined);
    this.loading.set(key, promise);
    try {
      return await promise;
    } catch (error) {
      this.failed.set(key, { error, until: this.opts.now() + this.opts.failureTtlMs });
      throw error;
    } finally {
      this.loading.delete(key);
    }
  }

  private async makeRoom(bytes: number): Promise<void> {
    for (const [key, entry] of this.ready) {
      if (this.usedBytes + bytes <= this.opts.budgetBytes) break;
      this.ready.delete(key);
      await entry.release();
    }
  }
}

/** Waits for a promise another request may have started (its model load). workerd
 * cancels a request that waits only on another request's timers or I/O ("Promise will
 * never complete"), so the waiter keeps a timer of its own until the promise settles, and
 * goes on from one of its own timers, so that what it does next is its own I/O. */
export async function awaitShared<T>(shared: Promise<T>): Promise<T> {
  const alive = setInterval(() => {}, 20);
  try {
    return await shared;
  } finally {
    clearInterval(alive);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

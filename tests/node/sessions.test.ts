import { describe, expect, it } from 'vitest';
import { SessionCache } from '../../models/sessions.ts';

const entry = (name: string, heapBytes: number, released: string[]) => ({
  name,
  heapBytes,
  release: async () => {
    released.push(name);
  },
});

describe('SessionCache', () => {
  it('shares one load between concurrent first requests', async () => {
    const cache = new SessionCache<ReturnType<typeof entry>>({ budgetBytes: 100 });
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 10));
      return entry('a', 10, []);
    };
    const got = await Promise.all(Array.from({ length: 5 }, () => cache.get('a', 10, load)));
    expect(loads).toBe(1);
    expect(new Set(got).size).toBe(1);
  });
  it('evicts least recently used entries to stay within the budget', async () => {
    const released: string[] = [];
    const cache = new SessionCache<ReturnType<typeof entry>>({ budgetBytes: 100 });
    await cache.get('a', 40, async () => entry('a', 40, released));
    await cache.get('b', 40, async () => entry('b', 40, released));
    await cache.get('a', 40, async () => entry('a', 40, released)); // a is now most recent
    await cache.get('c', 40, async () => entry('c', 40, released));
    expect(released).toEqual(['b']);
    expect(cache.keys()).toEqual(['a', 'c']);
    expect(cache.usedBytes).toBeLessThanOrEqual(100);
  });
  it('makes room for the measured size when it is larger than expected', async () => {
    const released: string[] = [];
    const cache = new SessionCache<ReturnType<typeof entry>>({ budgetBytes: 100 });
    await cache.get('a', 30, async () => entry('a', 30, released));
    await cache.get('b', 30, async () => entry('b', 30, released));
    await cache.get('c', 10, async () => entry('c', 60, released));
    expect(released).toEqual(['a']);
    expect(cache.usedBytes).toBe(90);
  });
  it('remembers a failed load briefly, then tries again', async () => {
    let now = 0;
    const cache = new SessionCache<ReturnType<typeof entry>>({ budgetBytes: 100, failureTtlMs: 1000, now: () => now });
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Error('corrupt');
    };
    await expect(cache.get('x', 1, failing)).rejects.toThrow('corrupt');
    await expect(cache.get('x', 1, failing)).rejects.toThrow('corrupt');
    expect(calls).toBe(1);
    now = 1001;
    const ok = await cache.get('x', 1, async () => entry('x', 1, []));
    expect(ok.name).toBe('x');
  });
});

describe('SessionCache under concurrent cold loads', () => {
  it('loads one model at a time, so several cold loads never hold more than the budget', async () => {
    const released: string[] = [];
    const cache = new SessionCache<ReturnType<typeof entry>>({ budgetBytes: 100 });
    let live = 0;
    let peak = 0;
    const load = (name: string) => async () => {
      live += 40; // the heap a load takes while it runs, before it is measured
      peak = Math.max(peak, live + cache.usedBytes);
      await new Promise((r) => setTimeout(r, 5));
      live -= 40;
      return entry(name, 40, released);
    };
    await Promise.all(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((k) => cache.get(k, 40, load(k))));
    expect(peak).toBeLessThanOrEqual(100);
    expect(cache.usedBytes).toBeLessThanOrEqual(100);
  });
  it('refuses a model that turns out larger than the whole budget, and keeps nothing of it', async () => {
    const released: string[] = [];
    const cache = new SessionCache<ReturnType<typeof entry>>({ budgetBytes: 100 });
    await expect(cache.get('big', 50, async () => entry('big', 150, released))).rejects.toThrow(/needs .* the budget is/);
    expect(released).toEqual(['big']);
    expect(cache.keys()).toEqual([]);
  });
});

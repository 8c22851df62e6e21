// The heap measurement bench/quantize reports: the high-water mark rises by what a model
// really holds (its int8 table), not by the 20% steps the heap grows in.
import { describe, expect, it } from 'vitest';
import { bootNodeBackend, packageStore } from '../../cli/node-runtime.ts';
import { wasmHeapBytes, wasmHeapHighWater } from '../../models/backend.ts';
import { fixturePackage } from '../../models/multitask/fixture.ts';
import { loadModel } from '../../models/runtime.ts';

describe('wasmHeapHighWater', () => {
  it('rises by about the weights a model holds and stays within the heap', async () => {
    bootNodeBackend();
    const tiny = await fixturePackage({ name: 'tiny', shape: { vocab: 16 } });
    await loadModel(packageStore(tiny), tiny.manifest);
    const before = wasmHeapHighWater();
    const table = 65536 * 32; // int8 embedding bytes
    const pkg = await fixturePackage({ name: 'big', shape: { vocab: 65536, dim: 32 }, external: true });
    await loadModel(packageStore(pkg), pkg.manifest);
    const grown = wasmHeapHighWater() - before;
    expect(grown).toBeGreaterThanOrEqual(table);
    expect(grown).toBeLessThan(table + (1 << 20));
    expect(wasmHeapHighWater()).toBeLessThanOrEqual(wasmHeapBytes());
  });
});

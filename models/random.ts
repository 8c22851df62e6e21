/** mulberry32: a small, fast, seeded PRNG that gives the same stream everywhere, so
 * training, fixtures and DARE's drops are reproducible from their seeds. Its state
 * advances by a constant, so `skip` jumps straight to the stream's skip-th value (a
 * chunked merge draws element j's value wherever the chunk starts). */
export function seededRandom(seed: number, skip = 0): () => number {
  let a = (seed + Math.imul(skip, 0x6d2b79f5)) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// MinHash signatures, written here rather than taken from npm. The two packages there
// were tried in Node 22 and found wanting: `minhash` (0.0.9, unmaintained, CommonJS, no
// types) computes (a·h + b) mod p in doubles with a·h up to 2^64, so its "permutations"
// lose their low bits, re-hashes each string once per permutation, and its LshIndex
// throws when a band was never inserted; `bloom-filters` (3.0.4) has MinHash but no LSH,
// draws its hash functions from Math.random (two runs never agree, so reports could not
// be compared or tested), has the same 2^53 overflow, and brings eight dependencies
// (lodash, reflect-metadata, …) for one small class.
//
// Here each of the `numPerm` hash functions is murmur3's 32-bit finaliser applied to the
// shingle hash XOR a per-function seed: a bijection on 32 bits, exact in integer
// arithmetic, and seeded, so the same texts give the same signatures everywhere.

/** murmur3's fmix32: a fast, well-mixed 32-bit bijection. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class MinHasher {
  readonly numPerm: number;
  readonly seeds: Uint32Array;

  constructor(numPerm = 128, seed = 1) {
    this.numPerm = numPerm;
    this.seeds = new Uint32Array(numPerm);
    for (let i = 0; i < numPerm; i++) this.seeds[i] = fmix32((seed + Math.imul(i + 1, 0x9e3779b9)) >>> 0);
  }

  /** Writes the signature of a shingle set into `out` at `offset` (numPerm values). An
   * empty set gets all 0xffffffff: it collides only with other empty sets, which the
   * overlap check leaves out. */
  signInto(shingles: Uint32Array, out: Uint32Array, offset = 0): void {
    const { numPerm, seeds } = this;
    out.fill(0xffffffff, offset, offset + numPerm);
    for (let s = 0; s < shingles.length; s++) {
      const x = shingles[s]!;
      for (let i = 0; i < numPerm; i++) {
        const h = fmix32(x ^ seeds[i]!);
        if (h < out[offset + i]!) out[offset + i] = h;
      }
    }
  }

  sign(shingles: Uint32Array): Uint32Array {
    const out = new Uint32Array(this.numPerm);
    this.signInto(shingles, out);
    return out;
  }
}

/** The share of equal positions: an unbiased estimate of the sets' Jaccard similarity. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length) throw new Error(`signatures differ in length (${a.length} vs ${b.length})`);
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

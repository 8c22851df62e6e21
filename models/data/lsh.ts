// LSH banding over MinHash signatures: a signature cut into `bands` bands of `rows`
// values; two texts become candidates when any band is equal, which happens with
// probability 1 − (1 − s^rows)^bands for Jaccard similarity s. Candidates are verified
// with the exact Jaccard of their shingle sets afterwards, so a false candidate costs
// only time and a missed one costs a finding: the banding is chosen for recall.
import { fmix32 } from './minhash.ts';

export interface Banding {
  bands: number;
  rows: number;
}

export const candidateProbability = (s: number, { bands, rows }: Banding) => 1 - (1 - s ** rows) ** bands;

/** Of the bandings that fit in numPerm and make a pair at the threshold a candidate with
 * probability ≥ minRecall, the one expected to yield the fewest candidates below the
 * threshold (the integral of the candidate probability over [0, threshold)). */
export function chooseBanding(threshold: number, numPerm: number, minRecall = 0.99): Banding {
  let best: { banding: Banding; falseArea: number } | undefined;
  for (let rows = 1; rows <= numPerm; rows++) {
    for (let bands = 1; bands * rows <= numPerm; bands++) {
      const banding = { bands, rows };
      if (candidateProbability(threshold, banding) < minRecall) continue;
      const falseArea = integrate((s) => candidateProbability(s, banding), 0, threshold);
      if (!best || falseArea < best.falseArea) best = { banding, falseArea };
      break; // more bands only add false candidates
    }
  }
  return best?.banding ?? { bands: numPerm, rows: 1 };
}

function integrate(f: (x: number) => number, a: number, b: number, steps = 200): number {
  const h = (b - a) / steps;
  let sum = 0;
  for (let i = 0; i < steps; i++) sum += f(a + (i + 0.5) * h);
  return sum * h;
}

/** Buckets of item ids per band; items are numbered by the caller. */
export class LshIndex {
  readonly banding: Banding;
  private readonly numPerm: number;
  private readonly buckets: Map<number, number[]>[];

  constructor(banding: Banding, numPerm: number) {
    this.banding = banding;
    this.numPerm = numPerm;
    this.buckets = Array.from({ length: banding.bands }, () => new Map());
  }

  private bandKey(signatures: Uint32Array, offset: number, band: number): number {
    // a 32-bit digest of the band: a collision only adds a candidate, which is verified
    let h = fmix32(band + 1);
    const start = offset + band * this.banding.rows;
    for (let j = 0; j < this.banding.rows; j++) h = fmix32((h ^ signatures[start + j]!) + 0x9e3779b9);
    return h;
  }

  /** `signatures` holds numPerm values per item; this item's start at item × numPerm. */
  insert(item: number, signatures: Uint32Array, at = item): void {
    for (let band = 0; band < this.banding.bands; band++) {
      const key = this.bandKey(signatures, at * this.numPerm, band);
      const bucket = this.buckets[band]!.get(key);
      if (bucket) bucket.push(item);
      else this.buckets[band]!.set(key, [item]);
    }
  }

  /** Calls `visit` for every inserted item sharing a band with the signature at `at`
   * (an item may be visited more than once: the caller dedupes). */
  query(signatures: Uint32Array, at: number, visit: (item: number) => void): void {
    for (let band = 0; band < this.banding.bands; band++) {
      const bucket = this.buckets[band]!.get(this.bandKey(signatures, at * this.numPerm, band));
      if (bucket) for (const item of bucket) visit(item);
    }
  }
}

// Near-duplicates: for each distinct eval text, the train texts whose word-shingle sets
// have Jaccard similarity at or above the threshold. MinHash + LSH find candidates in
// about linear time; each candidate is then verified on the exact shingle sets, so the
// counts do not carry MinHash's estimation noise.
import { chooseBanding, LshIndex } from './lsh.ts';
import { MinHasher } from './minhash.ts';
import { jaccard, wordShingles } from './shingles.ts';
import type { TextTable } from './text-table.ts';

export interface NearOptions {
  threshold: number;
  shingle: number;
  /** most hash functions the LSH banding may use */
  numPerm: number;
  seed: number;
  onProgress?: (phase: 'sign' | 'match', done: number, total: number) => void;
}

export interface NearMatch {
  id: number;
  jaccard: number;
}

/** eval text id → its near train texts (other than itself), most similar first */
export function findNearTexts(table: TextTable, o: NearOptions): Map<number, NearMatch[]> {
  const n = table.texts.length;
  const shingles = table.texts.map((t) => wordShingles(t, o.shingle));
  // the signatures serve only the banding (candidates are verified exactly), so only the
  // values the bands use are computed
  const banding = chooseBanding(o.threshold, o.numPerm);
  const width = banding.bands * banding.rows;
  const hasher = new MinHasher(width, o.seed);
  const signatures = new Uint32Array(n * width);
  const every = Math.max(1, Math.floor(n / 100));
  for (let id = 0; id < n; id++) {
    hasher.signInto(shingles[id]!, signatures, id * width);
    if ((id + 1) % every === 0 || id === n - 1) o.onProgress?.('sign', id + 1, n);
  }
  const index = new LshIndex(banding, width);
  for (const id of table.trainIdList) index.insert(id, signatures);

  const near = new Map<number, NearMatch[]>();
  // lastQuery[other] = the query that already verified `other`: bands repeat candidates
  const lastQuery = new Int32Array(n).fill(-1);
  const queries = table.evalIdList;
  for (const [q, id] of queries.entries()) {
    const found: NearMatch[] = [];
    index.query(signatures, id, (other) => {
      if (other === id || lastQuery[other] === id) return;
      lastQuery[other] = id;
      const similarity = jaccard(shingles[id]!, shingles[other]!);
      if (similarity >= o.threshold) found.push({ id: other, jaccard: similarity });
    });
    if (found.length > 0)
      near.set(
        id,
        found.sort((a, b) => b.jaccard - a.jaccard),
      );
    if ((q + 1) % every === 0 || q === queries.length - 1) o.onProgress?.('match', q + 1, queries.length);
  }
  return near;
}

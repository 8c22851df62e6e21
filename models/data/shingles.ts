// Word shingles of a normalised text, as sorted unique 32-bit hashes: the sets whose
// Jaccard similarity MinHash estimates and the near-duplicate check then verifies.
import { fnv1a } from '../hash.ts';

/** The hashes of every run of `size` consecutive words; a text shorter than that is one
 * shingle, so a two-word phrase still has a set to compare. Empty text: no shingles. */
export function wordShingles(normalized: string, size: number): Uint32Array {
  if (normalized === '') return new Uint32Array(0);
  const words = normalized.split(' ');
  const count = Math.max(1, words.length - size + 1);
  const hashes = new Uint32Array(count);
  for (let i = 0; i < count; i++) hashes[i] = fnv1a(words.slice(i, i + size).join(' '));
  hashes.sort();
  return uniqueSorted(hashes);
}

function uniqueSorted(sorted: Uint32Array): Uint32Array {
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i]!;
  return sorted.subarray(0, n);
}

/** Exact Jaccard similarity of two sorted unique hash sets (a merge walk). */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0,
    j = 0,
    shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!,
      y = b[j]!;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared / (a.length + b.length - shared);
}

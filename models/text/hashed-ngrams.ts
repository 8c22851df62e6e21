// Hashed word n-grams for the demo models: lowercase, split into words, emit n-grams
// and hash each into [1, buckets) with FNV-1a (0 is padding). No vocabulary file, so a
// package is just its graph; training and serving share this one function.

import { fnv1a } from '../hash.ts';

export interface HashedNgramsParams {
  buckets: number;
  ngrams: number[];
  lowercase: boolean;
  maxTokens: number;
}

const WORD = /[\p{L}\p{N}]+(?:'[\p{L}]+)?|[^\s\p{L}\p{N}]/gu;

export function words(text: string, lowercase: boolean): string[] {
  return (lowercase ? text.toLowerCase() : text).match(WORD) ?? [];
}

export function hashedNgrams(text: string, p: HashedNgramsParams): number[] {
  const w = words(text, p.lowercase);
  const ids: number[] = [];
  for (const n of p.ngrams) {
    for (let i = 0; i + n <= w.length && ids.length < p.maxTokens; i++) {
      ids.push(1 + (fnv1a(`${n}\u0001${w.slice(i, i + n).join('\u0001')}`) % (p.buckets - 1)));
    }
  }
  return ids;
}

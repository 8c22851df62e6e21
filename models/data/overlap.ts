// Contamination check: how many sentences of each evaluation split also occur in each
// training split, exactly (after normalizeText), nearly (word-shingle Jaccard at or above
// a threshold), or whole inside a longer training text. Every train split is checked
// against every eval split, across tasks, because tasks cut from one pool of sentences
// (MR, SST2 and SUBJ) leak into each other's dev sets. Pure computation: the CLI reads
// the files; anything that can hand over texts (a Worker, a browser) can run it.
import { findContainingTexts } from './containment.ts';
import { findNearTexts, type NearOptions } from './near.ts';
import { jaccard, wordShingles } from './shingles.ts';
import { TextTable } from './text-table.ts';

export interface TextSplit {
  /** shown in reports, e.g. `SST2/train.tsv` */
  name: string;
  texts: readonly string[];
}

export interface OverlapOptions extends Partial<NearOptions> {
  /** examples kept per pair of splits and kind of overlap */
  examples?: number;
  /** shortest eval text (in words) that counts as contained in a longer train text;
   * shorter phrases ("a waste of time") sit inside long sentences by chance */
  minContainedWords?: number;
}

// Jaccard over single words: a one-word edit of a 10-word sentence keeps 0.82 of its word
// set but only 0.64 of its bigrams, and sentences are too short for longer shingles. At
// 0.8 the matches found on SentEval are the same sentence re-tokenised (-lrb- for "(",
// "can not" for "cannot"), extended by a clause, or one word apart (CoLA's minimal pairs).
export const OVERLAP_DEFAULTS = { threshold: 0.8, shingle: 1, numPerm: 128, seed: 1, examples: 3, minContainedWords: 6 } as const;

export type OverlapKind = 'exact' | 'near' | 'contained';
export const OVERLAP_KINDS: readonly OverlapKind[] = ['exact', 'near', 'contained'];

export interface OverlapExample {
  eval: string;
  train: string;
  /** Jaccard similarity of the two texts' shingle sets */
  jaccard: number;
}

/** Counts are of eval rows, each under the first kind that applies: exact (its normalised
 * text is in the train split), near (a train text at or above the threshold), contained
 * (it sits inside a longer train text). */
export interface PairOverlap {
  train: string;
  eval: string;
  evalRows: number;
  exact: number;
  near: number;
  contained: number;
  examples: Record<OverlapKind, OverlapExample[]>;
}

export interface OverlapReport {
  threshold: number;
  shingle: number;
  minContainedWords: number;
  /** every train split × every eval split, train-major in the order given */
  pairs: PairOverlap[];
  totals: Record<OverlapKind, number>;
}

export function findOverlap(train: readonly TextSplit[], evals: readonly TextSplit[], options: OverlapOptions = {}): OverlapReport {
  // options left undefined (a CLI flag not given) keep their defaults
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o = { ...OVERLAP_DEFAULTS, ...given } as typeof OVERLAP_DEFAULTS & OverlapOptions;
  if (!(o.threshold > 0 && o.threshold <= 1)) throw new Error(`the threshold must be in (0, 1], not ${o.threshold}`);
  const table = new TextTable(train, evals);
  const near = findNearTexts(table, o);
  const containing = findContainingTexts(table, o.minContainedWords);
  // the strongest kind of overlap an eval text has with one train split, and its match
  const firstMatch = (id: number, inSplit: (id: number) => boolean): { kind: OverlapKind; match: number } | undefined => {
    if (inSplit(id)) return { kind: 'exact', match: id };
    const nearMatch = near.get(id)?.find((m) => inSplit(m.id));
    if (nearMatch) return { kind: 'near', match: nearMatch.id };
    const container = containing.get(id)?.find(inSplit);
    return container === undefined ? undefined : { kind: 'contained', match: container };
  };
  const similarity = (a: number, b: number) => jaccard(wordShingles(table.texts[a]!, o.shingle), wordShingles(table.texts[b]!, o.shingle));

  const pairs: PairOverlap[] = [];
  for (const [t, trainSplit] of train.entries()) {
    for (const [e, evalSplit] of evals.entries()) {
      const pair: PairOverlap = {
        train: trainSplit.name,
        eval: evalSplit.name,
        evalRows: evalSplit.texts.length,
        exact: 0,
        near: 0,
        contained: 0,
        examples: { exact: [], near: [], contained: [] },
      };
      const inSplit = (id: number) => table.trainText(id, t) !== undefined;
      for (const [row, id] of table.evalIds[e]!.entries()) {
        if (id < 0) continue;
        const found = firstMatch(id, inSplit);
        if (!found) continue;
        const { kind, match } = found;
        pair[kind]++;
        if (pair.examples[kind].length < o.examples)
          pair.examples[kind].push({ eval: evalSplit.texts[row]!, train: table.trainText(match, t)!, jaccard: similarity(id, match) });
      }
      pairs.push(pair);
    }
  }
  const totals = { exact: 0, near: 0, contained: 0 };
  for (const p of pairs) for (const k of OVERLAP_KINDS) totals[k] += p[k];
  return { threshold: o.threshold, shingle: o.shingle, minContainedWords: o.minContainedWords, pairs, totals };
}

export const hasOverlap = (r: OverlapReport) => r.totals.exact + r.totals.near + r.totals.contained > 0;

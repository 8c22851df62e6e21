// Which training rows to leave out so that nothing trained on overlaps an evaluation set.
// findOverlap counts eval rows (how contaminated is this dev set?); training needs the
// other side: the train rows that are a dev sentence (after normalisation), a
// near-duplicate of one, contain one whole, or sit whole inside a longer one. The last
// kind matters on SentEval because MR's snippets are up to two sentences long: an SST2
// training sentence inside an MR dev snippet is a labelled piece of that dev row.
import { findContainingTexts } from './containment.ts';
import { findNearTexts } from './near.ts';
import { OVERLAP_DEFAULTS, type OverlapOptions, type TextSplit } from './overlap.ts';
import { TextTable } from './text-table.ts';

export type ExclusionKind = 'exact' | 'near' | 'contains' | 'inside';
export const EXCLUSION_KINDS: readonly ExclusionKind[] = ['exact', 'near', 'contains', 'inside'];

export interface SplitExclusion {
  name: string;
  rows: number;
  /** indices of the rows to leave out, ascending */
  excluded: number[];
  /** rows left out, under the first kind that applies (exact, near, contains, inside) */
  counts: Record<ExclusionKind, number>;
}

export interface ExclusionRule {
  threshold: number;
  shingle: number;
  minContainedWords: number;
}

/** The rows of each train split that overlap any eval text, and why. */
export function overlappingTrainRows(
  train: readonly TextSplit[],
  evals: readonly TextSplit[],
  options: OverlapOptions = {},
): { rule: ExclusionRule; splits: SplitExclusion[] } {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o = { ...OVERLAP_DEFAULTS, ...given } as typeof OVERLAP_DEFAULTS & OverlapOptions;
  const table = new TextTable(train, evals);
  const evalSet = new Set(table.evalIdList);
  // train id → kind, strongest first: exact beats near beats contains
  const kindOf = new Map<number, ExclusionKind>();
  const mark = (id: number, kind: ExclusionKind) => {
    if (!kindOf.has(id)) kindOf.set(id, kind);
  };
  for (const id of table.trainIdList) if (evalSet.has(id)) mark(id, 'exact');
  for (const matches of findNearTexts(table, o).values()) for (const m of matches) mark(m.id, 'near');
  for (const containers of findContainingTexts(table, o.minContainedWords).values()) for (const id of containers) mark(id, 'contains');
  // the reverse: a train text whole inside a longer eval text (the same search, roles swapped)
  const swapped = new TextTable(evals, train);
  for (const [inner] of findContainingTexts(swapped, o.minContainedWords)) {
    const id = table.find(swapped.texts[inner]!);
    if (id >= 0) mark(id, 'inside');
  }

  const splits = train.map((split) => {
    const counts = { exact: 0, near: 0, contains: 0, inside: 0 };
    const excluded: number[] = [];
    split.texts.forEach((text, row) => {
      const kind = kindOf.get(table.find(text));
      if (!kind) return;
      excluded.push(row);
      counts[kind]++;
    });
    return { name: split.name, rows: split.texts.length, excluded, counts };
  });
  return { rule: { threshold: o.threshold, shingle: o.shingle, minContainedWords: o.minContainedWords }, splits };
}

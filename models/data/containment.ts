// Eval sentences that occur whole inside a longer train text. SST2's sentences were cut
// from the MR snippets (and SUBJ shares their pool), so a dev sentence can sit verbatim
// inside a training snippet that is two sentences long: too different in length for a
// Jaccard threshold, yet the model has seen every word of it in order with a label. On
// SentEval version 2, 208 of SST2's 1,821 dev sentences sit inside MR training snippets.
import type { TextTable } from './text-table.ts';

/** For each distinct eval text of at least `minWords` words, the distinct train texts that
 * contain it as a run of whole words and are longer than it. */
export function findContainingTexts(table: TextTable, minWords: number): Map<number, number[]> {
  // eval texts keyed by their first minWords words; each train position is looked up there
  const byPrefix = new Map<string, { id: number; words: number }[]>();
  for (const id of table.evalIdList) {
    const words = table.texts[id]!.split(' ');
    if (words.length < minWords) continue;
    const prefix = words.slice(0, minWords).join(' ');
    const list = byPrefix.get(prefix);
    if (list) list.push({ id, words: words.length });
    else byPrefix.set(prefix, [{ id, words: words.length }]);
  }
  const containing = new Map<number, number[]>();
  if (byPrefix.size === 0) return containing;
  for (const trainId of table.trainIdList) {
    const words = table.texts[trainId]!.split(' ');
    for (let start = 0; start + minWords <= words.length; start++) {
      const candidates = byPrefix.get(words.slice(start, start + minWords).join(' '));
      if (!candidates) continue;
      for (const c of candidates) {
        if (c.id === trainId || start + c.words > words.length) continue;
        if (words.slice(start, start + c.words).join(' ') !== table.texts[c.id]) continue;
        const list = containing.get(c.id);
        if (!list) containing.set(c.id, [trainId]);
        else if (list[list.length - 1] !== trainId) list.push(trainId);
      }
    }
  }
  return containing;
}

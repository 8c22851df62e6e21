// Distinct normalised texts of all splits, numbered once, so a sentence that occurs in
// several splits (the whole point of the check) is hashed and signed once.
import { normalizeText } from './normalize.ts';
import type { TextSplit } from './overlap.ts';

export class TextTable {
  /** distinct non-empty normalised texts; a text's id is its index */
  readonly texts: string[] = [];
  /** per eval split, the id of each row (−1 for a row with no letters or digits) */
  readonly evalIds: Int32Array[];
  /** distinct ids occurring in some train split / some eval split */
  readonly trainIdList: number[] = [];
  readonly evalIdList: number[] = [];
  private readonly ids = new Map<string, number>();
  /** per train split: id → its first raw text there */
  private readonly trainRaw: Map<number, string>[];

  constructor(train: readonly TextSplit[], evals: readonly TextSplit[]) {
    const inTrain = new Set<number>();
    this.trainRaw = train.map((split) => {
      const raw = new Map<number, string>();
      for (const text of split.texts) {
        const id = this.idOf(text);
        if (id < 0 || raw.has(id)) continue;
        raw.set(id, text);
        if (!inTrain.has(id)) {
          inTrain.add(id);
          this.trainIdList.push(id);
        }
      }
      return raw;
    });
    const inEval = new Set<number>();
    this.evalIds = evals.map((split) =>
      Int32Array.from(split.texts, (text) => {
        const id = this.idOf(text);
        if (id >= 0 && !inEval.has(id)) {
          inEval.add(id);
          this.evalIdList.push(id);
        }
        return id;
      }),
    );
  }

  /** the raw text of `id` in train split `split`, if that split holds it */
  trainText(id: number, split: number): string | undefined {
    return this.trainRaw[split]!.get(id);
  }

  /** the id of a text already in the table (after normalisation), or −1 */
  find(text: string): number {
    return this.ids.get(normalizeText(text)) ?? -1;
  }

  private idOf(text: string): number {
    const normalized = normalizeText(text);
    if (normalized === '') return -1;
    let id = this.ids.get(normalized);
    if (id === undefined) {
      id = this.texts.length;
      this.texts.push(normalized);
      this.ids.set(normalized, id);
    }
    return id;
  }
}

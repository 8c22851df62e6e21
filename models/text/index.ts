// Turns texts (or text pairs) into the tensors a text model's graph takes, per its
// manifest: token ids, and any of an attention mask, token type ids and mean-pooling
// weights, padded to the longest text of the batch.
import type { TextInput } from '../../schemas/manifest.ts';
import type { TensorData } from '../backend.ts';
import { ModelError } from '../errors.ts';
import { hashedNgrams } from './hashed-ngrams.ts';
import { type TextItem, type TokenizedText, TokenizerJson } from './tokenizer-json.ts';

export type { TextItem, TextPair, TokenizedText } from './tokenizer-json.ts';

export interface Encoded {
  feeds: Record<string, TensorData>;
  /** real (non-padding) tokens per text */
  tokens: number[];
}

export interface TextEncoder {
  (texts: TextItem[]): Encoded;
  /** whether the tokenizer has a pair template (text + text_pair) */
  readonly pairs: boolean;
  /** each text's tokens; past `deadline` (a performance.now() time) it throws rather than go on */
  tokenize(texts: TextItem[], deadline?: number): TokenizedText[];
  /** token lists as padded tensors */
  pack(lists: TokenizedText[]): Encoded;
  /** `rows` texts of `length` tokens each, to measure the heap a run takes */
  probe(rows: number, length: number): Encoded;
}

/** Builds the encoder once per loaded model; `tokenizerJson` is the parsed tokenizer.json. */
export function textEncoder(input: TextInput, tokenizerJson?: unknown): TextEncoder {
  const tok = input.tokenizer;
  let one: (item: TextItem) => TokenizedText;
  let padId = 0;
  let pairs = false;
  if (tok.type === 'hashed-ngrams') {
    one = (item) => {
      if (typeof item !== 'string') throw new ModelError('input', 'this model takes single texts: its tokenizer has no pair template');
      const ids = hashedNgrams(item, tok);
      return { ids, typeIds: ids.map(() => 0) };
    };
  } else {
    if (!tokenizerJson) throw new Error(`tokenizer file "${tok.file}" is missing from the package`);
    const tokenizer = new TokenizerJson(tokenizerJson, { padId: tok.padId });
    padId = tokenizer.padId;
    pairs = tokenizer.pairs;
    one = (item) => {
      if (typeof item !== 'string' && !pairs) {
        throw new ModelError('input', 'this model takes single texts: its tokenizer has no pair template');
      }
      return tokenizer.encode(item, tok.maxTokens);
    };
  }
  const tokenize = (texts: TextItem[], deadline = Number.POSITIVE_INFINITY) =>
    texts.map((t, i) => {
      if (i > 0 && performance.now() > deadline) {
        throw new ModelError('input', `tokenizing took too long (over ${TOKENIZE_MS} ms by input ${i}); send shorter or fewer texts`);
      }
      return one(t);
    });
  const packLists = (lists: TokenizedText[]) => pack(lists, input.tensors, padId);
  const probe = (rows: number, length: number) =>
    packLists(
      Array.from({ length: rows }, () => ({ ids: new Array<number>(length).fill(padId), typeIds: new Array<number>(length).fill(0) })),
    );
  return Object.assign((texts: TextItem[]) => packLists(tokenize(texts)), { pairs, tokenize, pack: packLists, probe });
}

/** How long one request may spend tokenizing (the tokenizers run on the isolate's thread). */
export const TOKENIZE_MS = 250;

/** Pads token lists into [batch, longest] tensors under the names the manifest gives. */
function pack(lists: TokenizedText[], names: TextInput['tensors'], padId: number): Encoded {
  const width = Math.max(1, ...lists.map((l) => l.ids.length));
  const size = lists.length * width;
  const ids = new BigInt64Array(size).fill(BigInt(padId));
  const typeIds = new BigInt64Array(size);
  const mask = new BigInt64Array(size);
  const weights = new Float32Array(size);
  for (const [row, list] of lists.entries()) {
    for (const [col, id] of list.ids.entries()) {
      const at = row * width + col;
      ids[at] = BigInt(id);
      typeIds[at] = BigInt(list.typeIds[col] ?? 0);
      mask[at] = 1n;
      weights[at] = 1 / list.ids.length;
    }
  }
  const dims = [lists.length, width];
  const feeds: Record<string, TensorData> = { [names.ids]: { type: 'int64', data: ids, dims } };
  if (names.weights) feeds[names.weights] = { type: 'float32', data: weights, dims };
  if (names.mask) feeds[names.mask] = { type: 'int64', data: mask, dims };
  if (names.type_ids) feeds[names.type_ids] = { type: 'int64', data: typeIds, dims };
  return { feeds, tokens: lists.map((l) => l.ids.length) };
}

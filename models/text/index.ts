// Turns texts into the tensors a text model's graph takes, per its manifest.
import { Tokenizer } from '@huggingface/tokenizers';
import type { TextInput } from '../../schemas/manifest.ts';
import type { TensorData } from '../backend.ts';
import { hashedNgrams } from './hashed-ngrams.ts';

export interface Encoded {
  feeds: Record<string, TensorData>;
  /** real (non-padding) tokens per text */
  tokens: number[];
}

export type TextEncoder = (texts: string[]) => Encoded;

/** Builds the encoder once per loaded model; `tokenizerJson` is the parsed tokenizer.json. */
export function textEncoder(input: TextInput, tokenizerJson?: unknown): TextEncoder {
  const tok = input.tokenizer;
  let tokenize: (text: string) => number[];
  if (tok.type === 'hashed-ngrams') {
    tokenize = (text) => hashedNgrams(text, tok);
  } else {
    if (!tokenizerJson) throw new Error(`tokenizer file "${tok.file}" is missing from the package`);
    const tokenizer = new Tokenizer(tokenizerJson as object, {});
    tokenize = (text) => tokenizer.encode(text).ids.slice(0, tok.maxTokens);
  }
  return (texts) => pack(texts.map(tokenize), input.tensors);
}

/** Pads token lists into [batch, longest] ids plus weights (1/n) and/or a mask. */
function pack(lists: number[][], names: TextInput['tensors']): Encoded {
  const width = Math.max(1, ...lists.map((l) => l.length));
  const ids = new BigInt64Array(lists.length * width);
  const weights = new Float32Array(lists.length * width);
  const mask = new BigInt64Array(lists.length * width);
  lists.forEach((list, row) => {
    list.forEach((id, col) => {
      ids[row * width + col] = BigInt(id);
      weights[row * width + col] = 1 / list.length;
      mask[row * width + col] = 1n;
    });
  });
  const dims = [lists.length, width];
  const feeds: Record<string, TensorData> = { [names.ids]: { type: 'int64', data: ids, dims } };
  if (names.weights) feeds[names.weights] = { type: 'float32', data: weights, dims };
  if (names.mask) feeds[names.mask] = { type: 'int64', data: mask, dims };
  return { feeds, tokens: lists.map((l) => l.length) };
}

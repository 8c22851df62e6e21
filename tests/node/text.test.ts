import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashedNgrams, words } from '../../models/text/hashed-ngrams.ts';
import { textEncoder } from '../../models/text/index.ts';
import { longestFirst } from '../../models/text/tokenizer-json.ts';
import { WORDPIECE_VOCAB, wordpieceTokenizerJson } from '../fixtures/wordpiece.ts';

const params = { buckets: 1000, ngrams: [1, 2], lowercase: true, maxTokens: 256 };

describe('hashed n-grams', () => {
  it('splits words and punctuation, lowercases, and is deterministic', () => {
    expect(words("It's a GREAT film, isn't it?", true)).toEqual(["it's", 'a', 'great', 'film', ',', "isn't", 'it', '?']);
    expect(hashedNgrams('a great film', params)).toEqual(hashedNgrams('A  great   FILM', params));
    expect(hashedNgrams('a great film', params)).toHaveLength(3 + 2);
  });
  it('keeps ids in [1, buckets) and respects maxTokens', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }),
        fc.integer({ min: 2, max: 70000 }),
        fc.integer({ min: 1, max: 50 }),
        (text, buckets, maxTokens) => {
          const ids = hashedNgrams(text, { ...params, buckets, maxTokens });
          expect(ids.length).toBeLessThanOrEqual(maxTokens);
          for (const id of ids) expect(id >= 1 && id < buckets).toBe(true);
        },
      ),
    );
  });
  it('packs a batch into ids and mean-pooling weights', () => {
    const encode = textEncoder({ kind: 'text', tokenizer: { type: 'hashed-ngrams', ...params }, tensors: { ids: 'ids', weights: 'w' } });
    const { feeds, tokens } = encode(['one two', 'three', '']);
    expect(tokens).toEqual([3, 1, 0]);
    expect(feeds.ids!.dims).toEqual([3, 3]);
    expect(Array.from(feeds.w!.data as Float32Array).map((v) => +v.toFixed(4))).toEqual([0.3333, 0.3333, 0.3333, 1, 0, 0, 0, 0, 0]);
  });
});

describe('longest-first truncation of pairs (tokenizers/src/utils/truncation.rs)', () => {
  it('cuts only the longer text while the shorter fits, else both to half', () => {
    expect(longestFirst(3, 10, 8)).toEqual([3, 5]);
    expect(longestFirst(10, 3, 8)).toEqual([5, 3]);
    expect(longestFirst(6, 7, 8)).toEqual([4, 4]);
    expect(longestFirst(10, 12, 7)).toEqual([3, 4]);
    expect(longestFirst(2, 3, 8)).toEqual([2, 3]);
  });
});

describe('tokenizer.json (WordPiece through @huggingface/tokenizers)', () => {
  const input = {
    kind: 'text' as const,
    tokenizer: { type: 'tokenizer.json' as const, file: 'tokenizer.json', maxTokens: 6 },
    tensors: { ids: 'input_ids', mask: 'attention_mask' },
  };
  it('splits into word pieces with [CLS] and [SEP], and truncates to maxTokens keeping both (as tokenizers does)', () => {
    const encode = textEncoder(input, wordpieceTokenizerJson);
    const { feeds, tokens } = encode(['The film was UNBELIEVABLE!', 'plots']);
    const v = WORDPIECE_VOCAB;
    expect(tokens).toEqual([6, 4]);
    expect(Array.from(feeds.input_ids!.data as BigInt64Array, Number)).toEqual([
      v['[CLS]'],
      v.the,
      v.film,
      v.was,
      v.un,
      v['[SEP]'],
      v['[CLS]'],
      v.plot,
      v['##s'],
      v['[SEP]'],
      0,
      0,
    ]);
    expect(Array.from(feeds.attention_mask!.data as BigInt64Array, Number)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
  });
  it('reads pairs through the pair template: type ids 0 then 1, cut longest first', () => {
    const encode = textEncoder({ ...input, tensors: { ...input.tensors, type_ids: 'token_type_ids' } }, wordpieceTokenizerJson);
    expect(encode.pairs).toBe(true);
    const { feeds, tokens } = encode([{ text: 'the film', text_pair: 'was good , bad , good' }]);
    const v = WORDPIECE_VOCAB;
    // 6 tokens: 3 special, so 3 of the 2 + 6 text tokens survive: 1 of the first, 2 of the longer second
    expect(tokens).toEqual([6]);
    expect(Array.from(feeds.input_ids!.data as BigInt64Array, Number)).toEqual([v['[CLS]'], v.the, v['[SEP]'], v.was, v.good, v['[SEP]']]);
    expect(Array.from(feeds.token_type_ids!.data as BigInt64Array, Number)).toEqual([0, 0, 0, 1, 1, 1]);
  });
  it('pads with the pad id and gives single texts type ids of 0', () => {
    const encode = textEncoder({ ...input, tensors: { ...input.tensors, type_ids: 'token_type_ids' } }, wordpieceTokenizerJson);
    const { feeds } = encode(['good', 'the film was bad']);
    expect(Array.from(feeds.input_ids!.data as BigInt64Array, Number).slice(3, 6)).toEqual([WORDPIECE_VOCAB['[PAD]'], 0, 0]);
    expect(Array.from(feeds.token_type_ids!.data as BigInt64Array, Number).every((t) => t === 0)).toBe(true);
  });
  it('refuses a package without its tokenizer file', () => {
    expect(() => textEncoder(input)).toThrow(/tokenizer file "tokenizer.json" is missing/);
  });
});

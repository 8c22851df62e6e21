import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashedNgrams, words } from '../../models/text/hashed-ngrams.ts';
import { textEncoder } from '../../models/text/index.ts';
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

describe('tokenizer.json (WordPiece through @huggingface/tokenizers)', () => {
  const input = {
    kind: 'text' as const,
    tokenizer: { type: 'tokenizer.json' as const, file: 'tokenizer.json', maxTokens: 6 },
    tensors: { ids: 'input_ids', mask: 'attention_mask' },
  };
  it('splits into word pieces with [CLS] and [SEP], and truncates to maxTokens', () => {
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
      v['##believ'],
      v['[CLS]'],
      v.plot,
      v['##s'],
      v['[SEP]'],
      0,
      0,
    ]);
    expect(Array.from(feeds.attention_mask!.data as BigInt64Array, Number)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
  });
  it('refuses a package without its tokenizer file', () => {
    expect(() => textEncoder(input)).toThrow(/tokenizer file "tokenizer.json" is missing/);
  });
});

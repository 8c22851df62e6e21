// Hugging Face tokenizer.json files, through @huggingface/tokenizers (which runs the
// normalizer, pre-tokenizer, model and post-processor exactly as the Rust library does).
// That library has no truncation, so this module adds the Rust library's: each text is
// tokenized without special tokens, cut to maxTokens less the special tokens the
// post-processor will add (pairs longest-first), and only then post-processed, so
// [CLS] … [SEP] survive a cut as they do in `tokenizers`.
import { Tokenizer } from '@huggingface/tokenizers';

export interface TextPair {
  text: string;
  text_pair?: string;
}
export type TextItem = string | TextPair;

export interface TokenizedText {
  ids: number[];
  typeIds: number[];
}

interface PostProcessorLike {
  post_process(a: string[], b?: string[] | null, addSpecial?: boolean): { tokens: string[]; token_type_ids?: number[] };
}

/** Post-processors whose pair handling the library implements (others drop or merge B). */
const PAIR_PROCESSORS = new Set(['TemplateProcessing', 'BertProcessing', 'RobertaProcessing']);

function hasPairTemplate(config: { type?: string; processors?: unknown[]; pair?: unknown } | null | undefined): boolean {
  if (!config) return false;
  if (config.type === 'Sequence') return (config.processors ?? []).some((p) => hasPairTemplate(p as typeof config));
  return PAIR_PROCESSORS.has(config.type ?? '') && (config.type !== 'TemplateProcessing' || Array.isArray(config.pair));
}

/** Sequence lengths after HF's longest-first truncation of a pair to `max` tokens. */
export function longestFirst(n1: number, n2: number, max: number): [number, number] {
  if (n1 + n2 <= max) return [n1, n2];
  const swap = n1 > n2;
  let [short, long] = swap ? [n2, n1] : [n1, n2];
  long = short > max ? short : Math.max(short, max - short);
  if (short + long > max) {
    short = Math.floor(max / 2);
    long = short + (max % 2);
  }
  return swap ? [long, short] : [short, long];
}

export class TokenizerJson {
  readonly pairs: boolean;
  readonly padId: number;
  /** the Rust library's RobertaProcessing gives every token type 0 (RoBERTa has one token
   * type); @huggingface/tokenizers gives the second text 1 */
  private readonly oneTokenType: boolean;
  private readonly tokenizer: Tokenizer;
  private readonly post: PostProcessorLike | null;
  private readonly idOf: (token: string) => number;

  constructor(json: unknown, opts: { padId?: number } = {}) {
    const config = json as { post_processor?: { type?: string }; padding?: { pad_id?: number } | null };
    this.tokenizer = new Tokenizer(json as object, {});
    this.post = this.tokenizer.post_processor as unknown as PostProcessorLike | null;
    this.pairs = hasPairTemplate(config.post_processor);
    this.oneTokenType = config.post_processor?.type === 'RobertaProcessing';
    const added = new Map([...this.tokenizer.get_added_tokens_decoder()].map(([id, t]) => [t.content, id]));
    const unk = (this.tokenizer.model as unknown as { unk_token_id?: number }).unk_token_id ?? 0;
    this.idOf = (token) => added.get(token) ?? this.tokenizer.token_to_id(token) ?? unk;
    const padToken = ['[PAD]', '<pad>', '<|pad|>'].find((t) => added.has(t) || this.tokenizer.token_to_id(t) !== undefined);
    this.padId = opts.padId ?? config.padding?.pad_id ?? (padToken ? this.idOf(padToken) : 0);
  }

  /** Special tokens the post-processor adds to a single text, or to a pair. */
  private added(pair: boolean): number {
    return this.post ? this.post.post_process([], pair ? [] : null, true).tokens.length : 0;
  }

  encode(item: TextItem, maxTokens: number): TokenizedText {
    const { text, text_pair } = typeof item === 'string' ? { text: item, text_pair: undefined } : item;
    const pair = text_pair !== undefined;
    if (pair && !this.pairs) throw new Error('this tokenizer has no pair template: send single texts');
    let a = this.tokenizer.tokenize(text, { add_special_tokens: false });
    let b = pair ? this.tokenizer.tokenize(text_pair, { add_special_tokens: false }) : null;
    const budget = Math.max(0, maxTokens - this.added(pair));
    if (b) {
      const [n1, n2] = longestFirst(a.length, b.length, budget);
      a = a.slice(0, n1);
      b = b.slice(0, n2);
    } else {
      a = a.slice(0, budget);
    }
    const processed = this.post
      ? this.post.post_process(a, b, true)
      : { tokens: [...a, ...(b ?? [])], token_type_ids: [...a.map(() => 0), ...(b ?? []).map(() => 1)] };
    const typeIds = !this.oneTokenType && processed.token_type_ids ? processed.token_type_ids : processed.tokens.map(() => 0);
    return { ids: processed.tokens.map(this.idOf), typeIds };
  }
}

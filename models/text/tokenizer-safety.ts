// What a tenant's tokenizer.json may be, checked before it is parsed (at commit and at
// load): small enough (parsed, a tokenizer takes 8–17× its file size of JS heap: 32 kB
// of WordPiece took 0.28 MB, 87 kB of Unigram 1.4 MB), JSON, and free of regular
// expressions that can backtrack catastrophically. The tokenizers library runs its
// patterns on JavaScript's backtracking engine, where "(a+)+$" on 28 characters took
// seconds and stalled the isolate; safe-regex2 refuses nested quantifiers (star height
// above 1), which is where that blow-up comes from.
import safeRegex from 'safe-regex2';
import { TokenizerJson } from './tokenizer-json.ts';

export const MAX_TOKENIZER_BYTES = 4 << 20;
/** JS heap a parsed tokenizer takes per byte of its file (the worst measured, rounded up) */
export const TOKENIZER_HEAP_FACTOR = 16;

/** Every Regex pattern anywhere in the tokenizer (normalizers, pre-tokenizers, decoders). */
function patterns(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const x of node) patterns(x, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'Regex' && typeof v === 'string') out.push(v);
      else patterns(v, out);
    }
  }
  return out;
}

/** Why this tokenizer.json may not be served, or [] when it may; `path` names it in messages. */
export function tokenizerProblems(bytes: Uint8Array, path = 'tokenizer.json'): string[] {
  if (bytes.length > MAX_TOKENIZER_BYTES) return [`${path} is ${bytes.length} bytes; at most ${MAX_TOKENIZER_BYTES} are served`];
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    return [`${path} is not JSON: ${(e as Error).message}`];
  }
  const unsafe = patterns(json).filter((p) => !safeRegex(p));
  if (unsafe.length)
    return unsafe.map((p) => `${path}: the pattern ${JSON.stringify(p)} can backtrack catastrophically (nested quantifiers)`);
  try {
    new TokenizerJson(json);
  } catch (e) {
    return [`${path} is not a tokenizer the tokenizers library can read: ${(e as Error).message}`];
  }
  return [];
}

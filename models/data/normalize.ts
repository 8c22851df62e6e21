// The one normalisation every overlap check uses, the same the SentEval README states for
// its version 2 cleaning: lower case, each run of characters that are not letters or
// digits collapsed to one space, trimmed. Two sentences that differ only in punctuation,
// spacing or case ("does n't" / "doesn't" do differ: by a word) are the same text here.
const NOT_ALPHANUMERIC = /[^\p{L}\p{N}]+/gu;

export function normalizeText(text: string): string {
  return text.toLowerCase().replace(NOT_ALPHANUMERIC, ' ').trim();
}

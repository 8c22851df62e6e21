// AdaMerging's input: unlabelled texts, one JSON object a line, {"input": text, "task"?:
// head}, the shape of a batch input file (its custom_id is ignored), so one file from
// POST /v1/files serves both. A label, if a line has one, is never read.
import type { Manifest } from '../../schemas/manifest.ts';
import { hashedNgrams } from '../text/hashed-ngrams.ts';
import type { UnlabelledText } from './adamerging.ts';

/** The search holds each text's pooled embedding under the base and every expert
 * ((experts + 1) × width floats a text): 5,000 texts of a 64-wide model with 8 experts
 * take 11.5 MB of a Worker's 128 MB. */
export const MAX_UNLABELLED = 5000;

export interface UnlabelledLine {
  text: string;
  task?: string;
}

export function parseUnlabelled(lines: Iterable<string>): UnlabelledLine[] {
  const out: UnlabelledLine[] = [];
  let n = 0;
  for (const line of lines) {
    n++;
    if (!line.trim()) continue;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      throw new Error(`unlabelled texts, line ${n}: not valid JSON`);
    }
    const { input, task } = (o ?? {}) as { input?: unknown; task?: unknown };
    if (typeof input !== 'string' || !input.trim()) throw new Error(`unlabelled texts, line ${n}: "input" must be a non-empty string`);
    if (task !== undefined && typeof task !== 'string') throw new Error(`unlabelled texts, line ${n}: "task" must be a string`);
    out.push(task === undefined ? { text: input } : { text: input, task });
    if (out.length > MAX_UNLABELLED) throw new Error(`unlabelled texts: at most ${MAX_UNLABELLED} lines`);
  }
  if (out.length === 0) throw new Error('unlabelled texts: the file holds no line');
  return out;
}

/** The texts as token ids, by the model's own tokenizer (the hashed n-grams the
 * multitask graph takes: AdaMerging's forward pass knows only that graph). */
export function tokenizeUnlabelled(manifest: Manifest | undefined, lines: UnlabelledLine[]): UnlabelledText[] {
  const input = manifest?.input;
  if (input?.kind !== 'text' || input.tokenizer.type !== 'hashed-ngrams')
    throw new Error('AdaMerging needs a text model with a hashed-ngrams tokenizer (the multitask graph)');
  const tokenizer = input.tokenizer;
  for (const l of lines)
    if (l.task !== undefined && !(l.task in manifest!.tasks)) throw new Error(`unlabelled texts: the model has no task "${l.task}"`);
  return lines.map((l) => ({ ids: hashedNgrams(l.text, tokenizer), task: l.task }));
}

// Running tokenized texts through a text model: in as few session runs as fit the
// activation budget, each run's outputs read back per text and task.
import type { TensorData } from './backend.ts';
import type { LoadedModel } from './runtime.ts';
import { readTask, type TaskResult, taskRows } from './tasks.ts';
import type { TokenizedText } from './text/index.ts';

/** Activation heap one run may add: a request whose rows would take more is run in parts. */
export const RUN_HEAP_BYTES = 16 << 20;

/** Rows per run for texts padded to `length`: a run's activations grow at most linearly
 * with length below maxTokens (attention's grow quadratically), so rowBytes × length /
 * maxTokens bounds a row's. */
export function rowsPerRun(model: LoadedModel, length: number): number {
  const maxTokens = model.manifest.input.kind === 'text' ? model.manifest.input.tokenizer.maxTokens : length;
  if (model.rowBytes <= 0) return Number.POSITIVE_INFINITY;
  return Math.max(1, Math.floor(RUN_HEAP_BYTES / ((model.rowBytes * Math.max(1, length)) / maxTokens)));
}

export interface TextRuns {
  results: Record<string, TaskResult>[];
  runMs: number;
}

export async function runTexts(model: LoadedModel, lists: TokenizedText[], tasks: string[]): Promise<TextRuns> {
  const { manifest, encode } = model;
  if (!encode) throw new Error(`${manifest.name} takes tensors, not texts`);
  const outputs = tasks.map((t) => manifest.tasks[t]!.output);
  const results = lists.map(() => ({}) as Record<string, TaskResult>);
  const collect = (out: Record<string, TensorData>, first: number, count: number, tokens: number[]) => {
    for (const task of tasks) {
      const spec = manifest.tasks[task]!;
      for (const [i, row] of taskRows(spec, out[spec.output]!, count, tokens).entries()) results[first + i]![task] = readTask(spec, row);
    }
  };
  let runMs = 0;
  for (let first = 0; first < lists.length; ) {
    let count = 1;
    let width = lists[first]!.ids.length;
    while (first + count < lists.length) {
      const next = Math.max(width, lists[first + count]!.ids.length);
      if (count + 1 > rowsPerRun(model, next)) break;
      width = next;
      count++;
    }
    const encoded = encode.pack(lists.slice(first, first + count));
    const t = performance.now();
    collect(await model.session.run(encoded.feeds, outputs), first, count, encoded.tokens);
    runMs += performance.now() - t;
    first += count;
  }
  return { results, runMs };
}

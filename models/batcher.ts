// Micro-batching: concurrent requests for one model in one isolate, run together. A
// transformer's run at 16 tokens costs about the same for one text as for several (in
// WASM, 8 texts in one run took 1.5-1.95x less time per text than 8 runs), so requests
// that arrive within a short window share a run. Only texts of about the same length
// are grouped (padding is waste: at 64 tokens and up batching stopped paying), each
// request gets its own rows back, and a failed run fails only the requests in it.
import type { LoadedModel } from './runtime.ts';
import type { TaskResult } from './tasks.ts';
import type { TokenizedText } from './text/index.ts';
import { runTexts, type TextRuns } from './text-runs.ts';

export interface BatchingOptions {
  /** how long the first request of a group waits for others */
  windowMs: number;
  /** rows at which a group runs at once */
  maxRows: number;
}

interface Waiting {
  lists: TokenizedText[];
  tasks: string[];
  resolve: (r: TextRuns) => void;
  reject: (e: unknown) => void;
}

/** Groups by padded length: 16, 32, 64, … tokens. */
const bucketOf = (lists: TokenizedText[]) => 2 ** Math.max(4, Math.ceil(Math.log2(Math.max(1, ...lists.map((l) => l.ids.length)))));

export class MicroBatcher {
  private readonly groups = new Map<number, Waiting[]>();
  runs = 0;
  private readonly model: LoadedModel;
  private readonly opts: BatchingOptions;
  constructor(model: LoadedModel, opts: BatchingOptions) {
    this.model = model;
    this.opts = opts;
  }

  run(lists: TokenizedText[], tasks: string[]): Promise<TextRuns> {
    if (lists.length >= this.opts.maxRows) return runTexts(this.model, lists, tasks); // full already
    const bucket = bucketOf(lists);
    return new Promise((resolve, reject) => {
      const group = this.groups.get(bucket) ?? [];
      if (group.length === 0) {
        this.groups.set(bucket, group);
        setTimeout(() => this.flush(bucket), this.opts.windowMs);
      }
      group.push({ lists, tasks, resolve, reject });
      if (group.reduce((s, w) => s + w.lists.length, 0) >= this.opts.maxRows) this.flush(bucket);
    });
  }

  private async flush(bucket: number): Promise<void> {
    const group = this.groups.get(bucket);
    if (!group?.length) return;
    this.groups.delete(bucket);
    this.runs++;
    const tasks = [...new Set(group.flatMap((w) => w.tasks))];
    try {
      const { results, runMs } = await runTexts(
        this.model,
        group.flatMap((w) => w.lists),
        tasks,
      );
      let first = 0;
      for (const w of group) {
        const own = results.slice(first, first + w.lists.length).map((r) => pick(r, w.tasks));
        first += w.lists.length;
        w.resolve({ results: own, runMs });
      }
    } catch (e) {
      for (const w of group) w.reject(e);
    }
  }
}

const pick = (r: Record<string, TaskResult>, tasks: string[]) => Object.fromEntries(tasks.map((t) => [t, r[t]!]));

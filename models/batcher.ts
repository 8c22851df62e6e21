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
  /** texts longer than this run alone: in workerd, shared runs of 64-token texts served
   * fewer items a second than runs alone, 16-token ones more (bench:microbatch) */
  maxTokens: number;
}

interface Waiting {
  lists: TokenizedText[];
  tasks: string[];
  resolve: (r: TextRuns) => void;
  reject: (e: unknown) => void;
}

interface Group {
  /** when the first request's window ends */
  deadline: number;
  waiting: Waiting[];
}

/** Groups by padded length: 16, 32, 64, … tokens. */
const bucketOf = (lists: TokenizedText[]) => 2 ** Math.max(4, Math.ceil(Math.log2(Math.max(1, ...lists.map((l) => l.ids.length)))));

export class MicroBatcher {
  private readonly groups = new Map<number, Group>();
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
    if (bucket > this.opts.maxTokens) return runTexts(this.model, lists, tasks); // batching would not pay
    return new Promise((resolve, reject) => {
      let group = this.groups.get(bucket);
      if (!group) {
        group = { deadline: Date.now() + this.opts.windowMs, waiting: [] };
        this.groups.set(bucket, group);
      }
      group.waiting.push({ lists, tasks, resolve, reject });
      // every request sets its own timer for the group's deadline: in workerd each request
      // is its own context, and one left with nothing of its own pending while another's
      // run answers it is cancelled as hung (a 500); flushing twice is a no-op
      const taken = group;
      setTimeout(() => this.flush(bucket, taken), Math.max(0, group.deadline - Date.now()));
      if (group.waiting.reduce((s, w) => s + w.lists.length, 0) >= this.opts.maxRows) this.flush(bucket, group);
    });
  }

  private async flush(bucket: number, expected: Group): Promise<void> {
    const group = this.groups.get(bucket);
    if (group !== expected) return; // run already (a later group may hold the bucket now)
    this.groups.delete(bucket);
    const waiting = group.waiting;
    this.runs++;
    const tasks = [...new Set(waiting.flatMap((w) => w.tasks))];
    try {
      const { results, runMs } = await runTexts(
        this.model,
        waiting.flatMap((w) => w.lists),
        tasks,
      );
      let first = 0;
      for (const w of waiting) {
        const own = results.slice(first, first + w.lists.length).map((r) => pick(r, w.tasks));
        first += w.lists.length;
        w.resolve({ results: own, runMs });
      }
    } catch (e) {
      for (const w of waiting) w.reject(e);
    }
  }
}

const pick = (r: Record<string, TaskResult>, tasks: string[]) => Object.fromEntries(tasks.map((t) => [t, r[t]!]));

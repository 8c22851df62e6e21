// Runs made in the browser, reported to POST /v1/usage/client-runs in batches: recorded
// apart from metered usage (GET /v1/usage?source=client), once each (a run id is made
// here, so a resent batch counts once). A report that fails is kept for the next flush.
import type { Chimera } from '../client.ts';
import type { components } from '../schema.ts';

type ClientRun = components['schemas']['ClientRuns']['runs'][number];
const MAX_PER_REPORT = 100;
const MAX_KEPT = 1000;

export class RunReporter {
  private runs: ClientRun[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly flushMs: number;
  private readonly chimera: Chimera;
  private readonly onError?: (error: unknown) => void;

  constructor(chimera: Chimera, options: { flushMs?: number }, onError?: (error: unknown) => void) {
    this.chimera = chimera;
    this.flushMs = options.flushMs ?? 2_000;
    this.onError = onError;
  }

  add(run: Omit<ClientRun, 'id'>): void {
    this.runs.push({ id: crypto.randomUUID(), ...run, latency_ms: Math.max(0, run.latency_ms) });
    if (this.runs.length > MAX_KEPT) this.runs.splice(0, this.runs.length - MAX_KEPT);
    this.timer ??= setTimeout(() => void this.flush().catch((e: unknown) => this.onError?.(e)), this.flushMs);
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.runs.length) {
      const batch = this.runs.slice(0, MAX_PER_REPORT);
      await this.chimera.ok(this.chimera.api.POST('/v1/usage/client-runs', { body: { runs: batch } }));
      this.runs.splice(0, batch.length);
    }
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

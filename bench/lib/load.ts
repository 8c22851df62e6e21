// What the load test and the soak share: a seeded local state with tenants and keys, the
// mixed requests an ordinary tenant sends, a bounded closed-loop runner, and the worker
// process's memory as the OS and V8 see it.
import { execSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { demoPackages } from '../../cli/demo-models.ts';
import { applyLocalMigrations, localPlatform } from '../../cli/local.ts';
import { readSplit, TASK_NAMES } from '../../cli/senteval.ts';
import { issueKey } from '../../functions/domain/keys.ts';
import { PUBLIC_OWNER } from '../../functions/domain/registry.ts';
import { ensureTenant } from '../../functions/domain/tenants.ts';
import { publishPackage } from '../../functions/domain/versions.ts';
import { seededRandom } from '../../models/random.ts';

export const MODELS = ['senteval-multitask', 'senteval-merged'];
/** a sealing key for benchmarks only: the state is thrown away after each run */
export const BENCH_VARS = { SECRETS_KEYS: `bench:${Buffer.alloc(32, 7).toString('base64')}`, ADMIN_TOKEN: 'bench-admin' };

/** A fresh local state with the demo models and one key per tenant name. */
export async function seedState(state: string, tenants: string[]): Promise<Record<string, string>> {
  rmSync(state, { recursive: true, force: true });
  applyLocalMigrations(state);
  const platform = await localPlatform(state);
  const keys: Record<string, string> = {};
  for (const name of tenants) {
    const id = await ensureTenant(platform.db, name, name);
    keys[name] = (await issueKey(platform.db, id, ['infer', 'batches', 'usage:read'])).key;
  }
  for (const d of await demoPackages()) {
    await publishPackage(platform.db, platform.env.MODELS, d.pkg, { owner: PUBLIC_OWNER, model: d.name, alias: 'prod' });
  }
  await platform.dispose();
  return keys;
}

/** Texts of 1 to 40 words from the SentEval training sentences. */
export function textPool(): string[] {
  const words = TASK_NAMES.flatMap((t) => readSplit('../shared/data/senteval', t, 'train').slice(0, 2000)).map((r) => r.text.split(/\s+/));
  const rnd = seededRandom(11);
  return words.map((w) => w.slice(0, 1 + Math.floor(rnd() * 40)).join(' '));
}

export interface Request {
  path: string;
  body: string;
}

/** An ordinary tenant's request: a demo model, 1–8 texts, a subset of the tasks. */
export function ordinaryRequest(rnd: () => number, texts: string[]): Request {
  const model = MODELS[Math.floor(rnd() * MODELS.length)]!;
  const inputs = Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => texts[Math.floor(rnd() * texts.length)]!);
  const tasks = TASK_NAMES.filter(() => rnd() < 0.5);
  return { path: `/v1/models/${model}/infer`, body: JSON.stringify(tasks.length ? { inputs, tasks } : { inputs }) };
}

export interface Outcome {
  ms: number;
  status: number;
}

/** Runs `count` requests over `lanes` closed loops; gives up (and says so) at `deadline`. */
export async function runLanes(
  lanes: number,
  count: number,
  next: (lane: number, i: number) => Promise<Outcome>,
  deadline: number,
): Promise<{ outcomes: Outcome[][]; timedOut: boolean }> {
  let issued = 0;
  let timedOut = false;
  const outcomes: Outcome[][] = Array.from({ length: lanes }, () => []);
  await Promise.all(
    outcomes.map(async (mine, lane) => {
      while (issued < count) {
        if (Date.now() > deadline) {
          timedOut = true;
          return;
        }
        mine.push(await next(lane, issued++));
      }
    }),
  );
  return { outcomes, timedOut };
}

/** POSTs a JSON body and times it to the end of the response body. */
export async function timedPost(url: string, key: string, body: string, contentType = 'application/json'): Promise<Outcome> {
  const t = performance.now();
  try {
    const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': contentType }, body });
    await res.arrayBuffer();
    return { ms: performance.now() - t, status: res.status };
  } catch {
    return { ms: performance.now() - t, status: 599 }; // the connection failed: counted as a server error
  }
}

/** Resident memory of each workerd process of one wrangler dev (its process group: one
 * runs the Worker with Miniflare's D1, R2 and queues, one proxies to it), in bytes by pid. */
export function workerdRssByProcess(processGroup: number): Record<string, number> {
  const pids = execSync(`pgrep -x -g ${processGroup} workerd || true`).toString().trim().split('\n').filter(Boolean);
  const out: Record<string, number> = {};
  for (const pid of pids) {
    try {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      out[pid] = Number(kb ?? 0) * 1024;
    } catch {
      // the process ended between pgrep and the read
    }
  }
  return out;
}

export const workerdRssBytes = (processGroup: number): number =>
  Object.values(workerdRssByProcess(processGroup)).reduce((a, b) => a + b, 0);

export interface Inspector {
  /** The isolate's JS heap after a full garbage collection. */
  heapAfterGc(): Promise<{ usedBytes: number; totalBytes: number }>;
  close(): void;
}

/** One DevTools session with the Worker's isolate through wrangler's inspector proxy
 * (which wants a local Origin, and answers only once the isolate has served a request). */
export async function openInspector(inspectorPort: number, attempts = 5): Promise<Inspector> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as { webSocketDebuggerUrl: string }[];
  // Node's WebSocket is undici's, which takes headers
  const ws = new WebSocket(targets[0]!.webSocketDebuggerUrl, { headers: { origin: 'http://127.0.0.1' } } as unknown as string[]);
  const opened = await new Promise<boolean>((resolve) => {
    ws.onopen = () => resolve(true);
    ws.onerror = () => resolve(false);
  });
  if (!opened) {
    if (attempts <= 1) throw new Error(`the inspector on port ${inspectorPort} refused a DevTools session`);
    await new Promise((r) => setTimeout(r, 2_000));
    return openInspector(inspectorPort, attempts - 1);
  }
  let id = 0;
  const pending = new Map<number, (result: unknown) => void>();
  ws.onmessage = (m) => {
    const msg = JSON.parse(String(m.data)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  };
  const send = (method: string) =>
    new Promise<unknown>((resolve) => {
      pending.set(++id, resolve);
      ws.send(JSON.stringify({ id, method }));
    });
  return {
    async heapAfterGc() {
      // workerd does not answer HeapProfiler.collectGarbage; a heap snapshot starts with a
      // full GC, and its chunks (events without an id) are ignored here
      await send('HeapProfiler.takeHeapSnapshot');
      const usage = (await send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
      return { usedBytes: usage.usedSize, totalBytes: usage.totalSize };
    },
    close: () => ws.close(),
  };
}

/** Waits until the tenants' usage rows (through the admin API) stop changing. */
export async function settledUsageRows(base: string, tenants: string[], quietMs = 6_000, maxMs = 120_000): Promise<Record<string, number>> {
  const read = async () => {
    const res = await fetch(`${base}/v1/admin/usage?group_by=tenant`, { headers: { authorization: `Bearer ${BENCH_VARS.ADMIN_TOKEN}` } });
    const rows = ((await res.json()) as { rows: { key: string; requests: number }[] }).rows;
    return Object.fromEntries(tenants.map((t) => [t, rows.find((r) => r.key === t)?.requests ?? 0]));
  };
  const until = Date.now() + maxMs;
  let last = JSON.stringify(await read());
  let stableSince = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 1_000));
    const now = JSON.stringify(await read());
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= quietMs || Date.now() > until) {
      return JSON.parse(now);
    }
  }
}

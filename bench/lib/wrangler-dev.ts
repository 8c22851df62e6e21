// Starts `wrangler dev` on its own port and state folder for a benchmark, and stops it.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface DevServer {
  url: string;
  /** wrangler's inspector (Chrome DevTools Protocol) for the Worker's isolate */
  inspectorPort: number;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** `config`: another wrangler.toml (a control Worker); the project's by default. `extra`:
 * more wrangler arguments (`--no-minify` for a profile whose frames keep their names). */
export async function startDev(
  persistTo: string,
  vars: Record<string, string> = {},
  config?: string,
  extra: string[] = [],
): Promise<DevServer> {
  const port = await freePort();
  const inspectorPort = await freePort();
  const args = [
    'wrangler',
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--persist-to',
    persistTo,
    '--inspector-port',
    String(inspectorPort),
    '--log-level',
    'warn',
    ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
    ...(config ? ['--config', config] : []),
    ...extra,
  ];
  const proc = spawn('npx', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    detached: true,
  });
  // the last 64 KiB of its output, for the error when it fails (a long run can print
  // more than a string holds); BENCH_DEV_LOG=<file> keeps all of it
  let log = '';
  const mirror = process.env.BENCH_DEV_LOG ? createWriteStream(process.env.BENCH_DEV_LOG, { flags: 'a' }) : undefined;
  const keep = (d: Buffer) => {
    mirror?.write(d);
    log = (log + d).slice(-65_536);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`wrangler dev exited:\n${log}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`wrangler dev did not answer within 60 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    inspectorPort,
    proc,
    stop: async () => {
      try {
        process.kill(-proc.pid!, 'SIGTERM');
      } catch {
        /* already gone */
      }
      await new Promise((r) => setTimeout(r, 300));
    },
  };
}

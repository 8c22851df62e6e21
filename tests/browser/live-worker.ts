// The Worker under `wrangler dev`, as `npm start` runs it (the same proxy in front of
// workerd), on a free port with its own local state: migrations applied, the demo models
// and a dev key seeded. For tests that need a real HTTP server: a browser, Node's fetch,
// raw sockets.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyLocalMigrations } from '../../cli/local.ts';
import { seedLocal } from '../../cli/seed.ts';

export interface LiveWorker {
  url: string;
  apiKey: string;
  adminToken: string;
  stop(): Promise<void>;
}

const ROOT = join(import.meta.dirname, '../..');

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** `vars` are added to (or replace) the Worker's variables, e.g. a shorter webhook retry. */
export async function startLiveWorker(options: { vars?: Record<string, string> } = {}): Promise<LiveWorker> {
  const dir = await mkdtemp(join(tmpdir(), 'chimera-live-'));
  applyLocalMigrations(dir);
  const creds = await seedLocal({ persistTo: dir, credentialsFile: join(dir, 'credentials.json') });
  const port = await freePort();
  const vars = {
    ADMIN_TOKEN: creds.adminToken,
    WEBHOOKS_ALLOW_PRIVATE: 'true',
    SECRETS_KEYS: `live:${randomBytes(32).toString('base64')}`,
    PACKAGE_URL_KEYS: `live:${randomBytes(32).toString('base64')}`,
    ...options.vars,
  };
  // the repository's .dev.vars (a developer's own secrets) stays out: an empty env file instead
  await writeFile(join(dir, 'empty.env'), '');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(ROOT, 'node_modules/wrangler/bin/wrangler.js'),
      'dev',
      '--env-file',
      join(dir, 'empty.env'),
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--persist-to',
      dir,
      '--show-interactive-dev-session=false',
      '--log-level',
      'warn',
      ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: { ...process.env, CI: 'true', PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH}` },
    },
  );
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    await rm(dir, { recursive: true, force: true });
  };
  const until = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${log}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      await stop();
      throw new Error(`wrangler dev did not answer within 120 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    apiKey: creds.apiKey,
    adminToken: (JSON.parse(await readFile(join(dir, 'credentials.json'), 'utf8')) as { adminToken: string }).adminToken,
    stop,
  };
}

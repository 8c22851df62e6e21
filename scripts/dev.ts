// `npm start`: migrations, seed, credentials, then wrangler dev on 127.0.0.1:8787
// (`npm start -- --port 9000` for another port; other options go to wrangler dev).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { applyLocalMigrations } from '../cli/local.ts';
import { seedLocal } from '../cli/seed.ts';

/** --port and --ip (as `--port 9000` or `--port=9000`) are ours; the rest go to wrangler dev. */
export function devOptions(argv: readonly string[]): { port: number; ip: string; rest: string[] } {
  const ours: Record<string, string> = { port: '8787', ip: '127.0.0.1' };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(port|ip)(?:=(.*))?$/.exec(argv[i]!);
    if (!m) {
      rest.push(argv[i]!);
      continue;
    }
    const value = m[2] ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`--${m[1]} needs a value`);
    ours[m[1]!] = value;
  }
  const port = Number(ours.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`--port must be 1..65535, not ${ours.port}`);
  return { port, ip: ours.ip!, rest };
}

async function main() {
  const step = (s: string) => console.log(`chimera: ${s}`);
  const { port, ip, rest } = devOptions(process.argv.slice(2));

  step('applying D1 migrations to the local database');
  applyLocalMigrations();
  step('seeding the local tenant, key and demo models');
  const creds = await seedLocal({ credentialsFile: '.wrangler/chimera-dev.json', log: step });

  // wrangler dev reads secrets from .dev.vars; keep ADMIN_TOKEN there in step with the seed
  const vars = existsSync('.dev.vars') ? readFileSync('.dev.vars', 'utf8') : '';
  const kept = vars.split('\n').filter((l) => l && !l.startsWith('ADMIN_TOKEN=') && !l.startsWith('WEBHOOKS_ALLOW_PRIVATE='));
  // the key that seals webhook and trigger secrets in the local D1: made once, then kept
  // (a new one would leave the secrets already stored unreadable)
  if (!kept.some((l) => l.startsWith('SECRETS_KEYS='))) kept.push(`SECRETS_KEYS=dev:${randomBytes(32).toString('base64')}`);
  // the key that signs package URLs (the console's browser runs), kept the same way
  if (!kept.some((l) => l.startsWith('PACKAGE_URL_KEYS='))) kept.push(`PACKAGE_URL_KEYS=dev:${randomBytes(32).toString('base64')}`);
  // local development: webhooks may go to http://127.0.0.1 receivers (refused when deployed)
  writeFileSync('.dev.vars', [...kept, `ADMIN_TOKEN=${creds.adminToken}`, 'WEBHOOKS_ALLOW_PRIVATE=true', ''].join('\n'));

  console.log('');
  console.log(`CHIMERA_API_KEY=${creds.apiKey}`);
  console.log(`CHIMERA_ADMIN_TOKEN=${creds.adminToken}`);
  console.log('');
  step(`serving on http://${ip}:${port} (API reference at /docs)`);
  step(`console at http://${ip}:${port}/console/ (sign in with CHIMERA_API_KEY, or CHIMERA_ADMIN_TOKEN for the admin view)`);

  const dev = spawn('npx', ['wrangler', 'dev', '--ip', ip, '--port', String(port), ...rest], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => dev.kill(sig));
  dev.on('exit', (code) => process.exit(code ?? 0));
}

if (import.meta.main) {
  await main().catch((e: Error) => {
    console.error(`chimera: ${e.message}`);
    process.exit(2);
  });
}

// `chimera --help` and `chimera <command> --help` answer with usage and exit 0; an unknown
// command is an error (exit 2).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const MAIN = join(import.meta.dirname, '../../cli/main.ts');
const chimera = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });

describe('chimera --help', () => {
  it('prints the usage and exits 0, however asked', () => {
    for (const args of [['--help'], ['-h'], ['help'], []]) {
      const run = chimera(...args);
      expect(run.status, args.join(' ')).toBe(0);
      expect(run.stdout).toMatch(/^chimera <command> \[options\]/);
    }
  });
  it('prints one command’s usage for <command> --help', () => {
    for (const [args, first] of [
      [['merge', '--help'], '  merge --method M'],
      [['help', 'publish'], '  publish PKG --model NAME'],
      [['key', '-h'], '  key issue --tenant ID'],
      [['eval', '--help'], '  eval --model PKG'],
    ] as const) {
      const run = chimera(...args);
      expect(run.status, args.join(' ')).toBe(0);
      expect(run.stdout).toContain(first);
      expect(run.stdout).not.toContain('train-demo');
    }
  });
  it('refuses an unknown command with exit 2', () => {
    const run = chimera('nope');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no command "nope"');
  });
});

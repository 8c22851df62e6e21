// The deploy bundle's size against the Workers plans' limits (compressed: 3 MB Free,
// 10 MB Paid), built by `wrangler deploy --dry-run` exactly as a deploy would build it.
//   node bench/bundle.ts
import { execSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeResult } from './lib/stats.ts';

const out = mkdtempSync(join(tmpdir(), 'chimera-bundle-'));
execSync(`npx wrangler deploy --dry-run --outdir ${out}`, {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
});
const files = readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(out, f)).isFile() && !f.endsWith('.map'));
const sizes = files.map((f) => {
  const bytes = readFileSync(join(out, f));
  return { file: f, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
});
rmSync(out, { recursive: true, force: true });
const MB = 1_000_000;
const total = { bytes: sizes.reduce((s, f) => s + f.bytes, 0), gzipBytes: sizes.reduce((s, f) => s + f.gzipBytes, 0) };
console.table(sizes.map((s) => ({ file: s.file, MB: +(s.bytes / MB).toFixed(2), 'gzip MB': +(s.gzipBytes / MB).toFixed(2) })));
const limits = { freeGzipBytes: 3 * MB, paidGzipBytes: 10 * MB };
console.log(
  `total ${(total.bytes / MB).toFixed(2)} MB, ${(total.gzipBytes / MB).toFixed(2)} MB gzipped: ${total.gzipBytes <= limits.freeGzipBytes ? 'fits' : 'over'} the Free plan's 3 MB, ${total.gzipBytes <= limits.paidGzipBytes ? 'fits' : 'over'} the Paid plan's 10 MB`,
);
console.log(`wrote ${writeResult('bundle', { files: sizes, total, limits })}`);

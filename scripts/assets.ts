// Builds the Worker's static assets (public/, git-ignored but for _headers): the API
// reference script (docs-assets.ts), the console (Vite, console/) and the WebAssembly of
// onnxruntime-web for the console's browser runs, in parts (a Workers static asset may
// be at most 25 MiB; ORT's is 26 MB) named by its sha256 in ort/runtime.json. Run by
// `npm run build`, by wrangler before `wrangler dev`/`deploy` ([build] in wrangler.toml),
// and by the test setup; it skips the console when nothing it is built from changed.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { copyDocsAssets } from './docs-assets.ts';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'public/console');
const STAMP = join(OUT, '.inputs');
const ORT_DIST = join(ROOT, 'node_modules/onnxruntime-web/dist');
/** what the console bundle is made of: its own code, the SDK, the models it runs, the lockfile */
const INPUTS = ['console', 'clients/typescript/src', 'models', 'schemas', 'package-lock.json', 'scripts/assets.ts'];
const PART_BYTES = 16 << 20;

function files(path: string): string[] {
  const full = join(ROOT, path);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [path];
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .map((f) => join(path, f))
    .filter((f) => statSync(join(ROOT, f)).isFile())
    .sort();
}

/** sha256 over every input's path and bytes. */
function inputsHash(): string {
  const h = createHash('sha256');
  for (const f of INPUTS.flatMap(files)) h.update(`${f}\0`).update(readFileSync(join(ROOT, f)));
  return h.digest('hex');
}

/** The WebAssembly file ORT's WebGPU bundle (what the browser entry imports) loads. */
function ortWasmName(): string {
  const bundle = readFileSync(join(ORT_DIST, 'ort.webgpu.bundle.min.mjs'), 'utf8');
  const name = /ort-wasm-simd-threaded[\w.]*\.wasm/.exec(bundle)?.[0];
  if (!name) throw new Error('could not find which .wasm onnxruntime-web/webgpu loads');
  return name;
}

/** ORT's WebAssembly in parts under public/console/ort/, described by runtime.json. */
function writeRuntime(): { sha256: string; bytes: number; parts: string[] } {
  const bytes = readFileSync(join(ORT_DIST, ortWasmName()));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const dir = join(OUT, 'ort');
  mkdirSync(dir, { recursive: true });
  const parts: string[] = [];
  for (let at = 0, i = 0; at < bytes.length; at += PART_BYTES, i++) {
    const name = `${sha256.slice(0, 16)}.${i}.bin`;
    writeFileSync(join(dir, name), bytes.subarray(at, at + PART_BYTES));
    parts.push(name);
  }
  const runtime = { sha256, bytes: bytes.length, parts };
  writeFileSync(join(dir, 'runtime.json'), `${JSON.stringify(runtime, null, 2)}\n`);
  return runtime;
}

export async function buildConsole(options: { force?: boolean } = {}): Promise<{ built: boolean; dir: string }> {
  const hash = inputsHash();
  if (!options.force && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) return { built: false, dir: OUT };
  const { build } = await import('vite');
  rmSync(STAMP, { force: true });
  await build({ configFile: join(ROOT, 'console/vite.config.ts'), logLevel: 'warn' });
  writeRuntime();
  writeFileSync(STAMP, hash);
  return { built: true, dir: OUT };
}

export async function buildAssets(options: { force?: boolean } = {}): Promise<void> {
  const docs = copyDocsAssets();
  const { built, dir } = await buildConsole(options);
  console.log(
    `chimera: API reference script at ${relative(ROOT, docs)}; console ${built ? 'built' : 'up to date'} in ${relative(ROOT, dir)}/`,
  );
}

if (import.meta.main) {
  await buildAssets({ force: process.argv.includes('--force') }).catch((e: Error) => {
    console.error(`chimera: the static assets did not build: ${e.message}`);
    process.exit(1);
  });
}

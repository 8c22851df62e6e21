// Copies the API reference's script (Scalar's standalone bundle, from the pinned npm
// package) into public/docs/, the Worker's static assets, so /docs loads nothing from a
// CDN. wrangler runs it before `wrangler dev` and `wrangler deploy` ([build] in
// wrangler.toml); vitest.config.ts runs it before the tests.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const SOURCE = join(ROOT, 'node_modules/@scalar/api-reference/dist/browser/standalone.js');
const TARGET = join(ROOT, 'public/docs/scalar.js');

export function copyDocsAssets(): string {
  if (!existsSync(SOURCE)) throw new Error(`${SOURCE} is missing: run npm install`);
  if (existsSync(TARGET) && statSync(TARGET).mtimeMs >= statSync(SOURCE).mtimeMs) return TARGET;
  mkdirSync(dirname(TARGET), { recursive: true });
  // the bundle names a source map we do not serve; without the comment no browser asks for it
  const text = readFileSync(SOURCE, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  writeFileSync(TARGET, text);
  return TARGET;
}

if (import.meta.main) console.log(`chimera: API reference script at ${copyDocsAssets()}`);

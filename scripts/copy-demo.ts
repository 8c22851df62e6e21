// Copies the served int8 demo packages from artifacts/demo into demo/ (committed).
import { cpSync, rmSync } from 'node:fs';

const pairs: [string, string][] = [
  ['artifacts/demo/multitask-int8', 'demo/senteval-multitask'],
  ['artifacts/demo/merged-ties-int8', 'demo/senteval-merged'],
];
for (const [from, to] of pairs) {
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
  console.log(`${from} → ${to}`);
}

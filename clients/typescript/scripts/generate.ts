// Regenerates the SDK's contract from the Worker's own routes: openapi.json (the document
// /openapi.json serves) and src/schema.ts (its types, by openapi-typescript). Run it after
// changing a route or an API schema: `npm run generate -w @chimera/client`;
// tests/node/openapi-contract.test.ts fails while either file is stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateContract } from './contract.ts';

const root = join(import.meta.dirname, '..');
const { json, types } = await generateContract();
writeFileSync(join(root, 'openapi.json'), json);
writeFileSync(join(root, 'src/schema.ts'), types);
console.log('wrote clients/typescript/openapi.json and clients/typescript/src/schema.ts');

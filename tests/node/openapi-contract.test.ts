// The API as a contract, checked in Node: the committed document (clients/typescript/
// openapi.json) is the one the routes make and its generated types are current; Redocly's
// recommended ruleset passes (offline, telemetry off); a client generated from the
// document by openapi-typescript type-checks an upload, a batch from an input file and a
// typed result line in strict mode; the SDK's idempotent creates are those the document
// gives an Idempotency-Key.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { generateContract } from '../../clients/typescript/scripts/contract.ts';
import { IDEMPOTENT_CREATES } from '../../clients/typescript/src/client.ts';

const ROOT = join(import.meta.dirname, '../..');
const SDK = join(ROOT, 'clients/typescript');
const STALE = 'stale: run `npm run generate -w @chimera/client` and commit clients/typescript/openapi.json and src/schema.ts';
const contract = await generateContract();

describe('the committed contract', () => {
  it('is the document the routes make, and its generated types', () => {
    expect(readFileSync(join(SDK, 'openapi.json'), 'utf8'), STALE).toBe(contract.json);
    expect(readFileSync(join(SDK, 'src/schema.ts'), 'utf8'), STALE).toBe(contract.types);
  });
});

describe('Redocly, recommended ruleset', () => {
  it('finds no error and no warning', () => {
    const out = execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', 'clients/typescript/openapi.json', '--format=json'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        // offline: no telemetry, no update check
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', CI: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const report = JSON.parse(out) as {
      totals: { errors: number; warnings: number; ignored: number };
      problems: { ruleId: string; message: string }[];
    };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);
});

// A user's client: openapi-typescript's output for the live document, openapi-fetch, strict TypeScript.
const CLIENT = `
import createClient from 'openapi-fetch';
import type { components, paths } from './schema.ts';

const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:8787', headers: { authorization: 'Bearer chm_example' } });

export async function upload(upload: string, bytes: Uint8Array): Promise<boolean> {
  const { data, error } = await client.PUT('/v1/uploads/{upload}/files/{path}', {
    params: { path: { upload, path: 'model.onnx' } },
    body: bytes,
    bodySerializer: (b: unknown) => b as BodyInit,
    headers: { 'content-type': 'application/octet-stream' },
  });
  if (error) {
    const type: 'https://chimera.dev/problems/upload-hash' | 'https://chimera.dev/problems/upload-size' | string = error.type;
    throw new Error(type);
  }
  return data.stored;
}

export async function batchFromFile(jsonl: string): Promise<components['schemas']['Batch']['status']> {
  const file = await client.POST('/v1/files', { body: jsonl, bodySerializer: (b: unknown) => b as BodyInit, headers: { 'content-type': 'application/x-ndjson' } });
  if (!file.data) throw new Error(file.error.detail);
  const batch = await client.POST('/v1/batches', {
    params: { header: { 'idempotency-key': 'order-42' } },
    body: { model: 'senteval-multitask', input_file: file.data.id, tasks: ['sst2'], completion_window_s: 3600 },
  });
  if (!batch.data) throw new Error(batch.error.detail);
  return batch.data.status;
}

export function readResultLine(text: string): [string, number, string | undefined] {
  const line: components['schemas']['BatchResultLine'] = JSON.parse(text);
  const sst2 = line.results.sst2;
  const label = sst2 && 'label' in sst2 ? sst2.label : undefined;
  return [line.custom_id, line.line, label];
}

export async function wrong() {
  // @ts-expect-error a model name is a string
  await client.POST('/v1/batches', { body: { model: 42, inputs: ['x'] } });
  // @ts-expect-error no such operation
  await client.GET('/v1/no-such-route');
  // @ts-expect-error status is one of the batch states
  const s: components['schemas']['Batch']['status'] = 'done';
  return s;
}
`;

describe('a client generated from the document', () => {
  it('type-checks an upload, a batch from an input file and a result line, in strict mode', () => {
    // under node_modules/.cache so that openapi-fetch resolves from the repository's node_modules
    const dir = join(ROOT, 'node_modules/.cache/chimera-client-check');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'schema.ts'), contract.types);
    writeFileSync(join(dir, 'client.ts'), CLIENT);
    const program = ts.createProgram([join(dir, 'client.ts')], {
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      allowImportingTsExtensions: true,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      types: [],
      skipLibCheck: true,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    rmSync(dir, { recursive: true, force: true });
    expect(diagnostics).toEqual([]);
  }, 60_000);
});

describe('@chimera/client', () => {
  it('sets Idempotency-Key on exactly the creates the document gives one', () => {
    const doc = JSON.parse(contract.json) as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
    const declared = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => op.parameters?.some((p) => p.in === 'header' && p.name === 'idempotency-key'))
        .map(() => path),
    );
    expect([...IDEMPOTENT_CREATES].sort()).toEqual(declared.sort());
  });
});

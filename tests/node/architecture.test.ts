// The layering rules of ARCHITECTURE.md, checked on the source: arrows point down only,
// routes are named after their URLs and stay thin, one module imports onnxruntime-web.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(new URL(import.meta.url).pathname), '../..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts') && !f.includes('node_modules'))
    .map((f) => join(dir, f));
}

/** Each import of a file: the specifier, resolved to a repo path when relative. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);
  return specifiers.map((s) => (s.startsWith('.') ? normalize(relative(ROOT, join(ROOT, dirname(file), s))) : s));
}

/** Files under `dir` whose imports break `forbidden`, as "file → import". */
function offenders(dir: string, forbidden: (imported: string) => boolean): string[] {
  return sources(dir).flatMap((f) =>
    importsOf(f)
      .filter(forbidden)
      .map((i) => `${f} → ${i}`),
  );
}

const under =
  (...prefixes: string[]) =>
  (i: string) =>
    prefixes.some((p) => i.startsWith(p));

describe('layers', () => {
  it('domain never imports hono, http or jobs', () => {
    expect(offenders('functions/domain', under('hono', '@hono/', 'functions/http/', 'functions/jobs/'))).toEqual([]);
  });
  it('infra imports no layer above it', () => {
    expect(offenders('functions/infra', under('hono', '@hono/', 'functions/http/', 'functions/jobs/', 'functions/domain/'))).toEqual([]);
  });
  it('jobs never import http', () => {
    expect(offenders('functions/jobs', under('hono', 'functions/http/'))).toEqual([]);
  });
  it('models never import functions/ or schemas/api', () => {
    expect(offenders('models', under('functions/', 'schemas/api/'))).toEqual([]);
  });
  it('schemas never import models/ or functions/', () => {
    expect(offenders('schemas', under('models/', 'functions/'))).toEqual([]);
  });
  it('the CLI uses domain/, never http/', () => {
    expect(offenders('cli', under('functions/http/', 'hono'))).toEqual([]);
  });
  it('the console reaches the API only through @chimera/client: never functions/ or models/', () => {
    expect(offenders('console', under('functions/', 'models/', 'schemas/db/', 'hono', '@hono/', 'onnxruntime-web'))).toEqual([]);
  });
  it("the browser SDK runs models/ (the edge's tokenizers and task heads) and never imports the Worker", () => {
    expect(offenders('clients/typescript/src/browser', under('functions/', 'schemas/db/', 'schemas/api/', 'hono', '@hono/'))).toEqual([]);
  });
  it('only models/backend.ts imports onnxruntime-web (the Worker entry imports its .wasm binary; the browser SDK goes through it too)', () => {
    const importers = ['functions', 'models', 'cli', 'schemas', 'clients', 'console']
      .flatMap(sources)
      .filter((f) => importsOf(f).some((i) => (i === '#ort' || i.startsWith('onnxruntime-web')) && !i.endsWith('.wasm')));
    expect(importers).toEqual(['models/backend.ts']);
  });
});

describe('routes', () => {
  const routes = sources('functions/http/routes').filter((f) => !f.endsWith('/index.ts'));
  const VERBS = new Set(['get', 'list', 'create', 'put', 'update', 'delete', 'revoke', 'receive']);

  it('are named after their URLs: routes/<static segments>[/<verb>].ts', () => {
    const misnamed = routes.filter((f) => {
      const path = /path: '([^']+)'/.exec(readFileSync(join(ROOT, f), 'utf8'))?.[1];
      if (!path) return true;
      const segments = path.split('/').filter((s) => s && s !== 'v1' && !s.startsWith('{'));
      const parts = relative('functions/http/routes', f).replace(/\.ts$/, '').split('/');
      const file = parts.at(-1)!;
      const named = VERBS.has(file) ? parts.slice(0, -1) : parts;
      return named.join('/') !== segments.join('/');
    });
    expect(misnamed).toEqual([]);
  });
  it('hold one operation each, reach D1 only through domain/, and never assert context values', () => {
    for (const f of routes) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      expect(text.match(/app\.openapi\(/g)?.length, f).toBe(1);
      expect(importsOf(f).filter(under('drizzle-orm', 'schemas/db/')), f).toEqual([]);
      expect(text, f).not.toMatch(/c\.(get\('\w+'\)|var\.\w+)!/);
    }
  });
});

describe('problem types', () => {
  // ApiError only takes catalog types (the compiler checks that); this checks the other
  // way: the catalog holds no type that nothing sends
  it('every catalog type is sent somewhere', async () => {
    const { PROBLEMS } = await import('../../schemas/api/problems.ts');
    const code = sources('functions').map((f) => readFileSync(join(ROOT, f), 'utf8'));
    const unused = Object.keys(PROBLEMS).filter((t) => !code.some((c) => c.includes(`'${t}'`)));
    expect(unused).toEqual([]);
  });
});

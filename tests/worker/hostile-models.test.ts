// Models and tokenizers a tenant may not run: each refused at commit with a 422 naming
// the thing, nothing made visible, the isolate untouched (issue 11: the allocation bomb,
// the backtracking tokenizer; issue 10: unsupported inputs, operators and outputs).
import { beforeAll, describe, expect, it } from 'vitest';
import { issueKey } from '../../functions/domain/keys.ts';
import { sha256Hex } from '../../models/hash.ts';
import { DataType, type Graph } from '../../models/onnx/model.ts';
import { buildPackage, type ModelPackage } from '../../models/package.ts';
import { wordpiecePackage, wordpieceTokenizerJson } from '../fixtures/wordpiece.ts';
import { call, db, expectProblem, type Seeded, seed } from './helpers.ts';

let s: Seeded;
let writer: string;
beforeAll(async () => {
  s = await seed();
  writer = (await issueKey(db(), s.tenantId, ['infer', 'models:write'])).key;
});

/** Uploads every file and commits; the commit's response. */
async function commit(model: string, pkg: ModelPackage): Promise<Response> {
  const started = await call(`/v1/models/${model}/versions`, { key: writer, body: { manifest: pkg.manifest } });
  expect(started.status, await started.clone().text()).toBe(201);
  const up = (await started.json()) as { files: { path: string; upload_url: string }[]; commit_url: string };
  for (const f of up.files) {
    const put = await call(f.upload_url, { key: writer, method: 'PUT', raw: pkg.files[f.path]! as unknown as string });
    expect(put.status, await put.clone().text()).toBe(200);
  }
  return call(up.commit_url, { key: writer, method: 'POST' });
}

const graphOf = (nodes: Graph['nodes'], inputs: Graph['inputs'], outputs: Graph['outputs']) => ({
  irVersion: 8,
  producerName: 'hostile',
  opsetImports: [{ domain: '', version: 17 }],
  graph: { name: 'hostile', nodes, initializers: [], inputs, outputs },
});
const tensorModel = (graph: ReturnType<typeof graphOf>, input: string, output = 'y') =>
  buildPackage(
    graph,
    {
      name: 'hostile',
      version: '1',
      quantization: 'none',
      input: { kind: 'tensors', tensors: [{ name: input, dtype: 'int64', shape: [-1] }] },
      tasks: { y: { output, kind: 'regression' } },
    },
    { external: false },
  );

/** The wordpiece fixture with its tokenizer.json replaced. */
async function withTokenizer(json: string): Promise<ModelPackage> {
  const pkg = await wordpiecePackage();
  const bytes = new TextEncoder().encode(json);
  const files = pkg.manifest.files.map((f) => (f.role === 'tokenizer' ? { ...f, bytes: bytes.length, sha256: '' } : f));
  for (const f of files) if (f.role === 'tokenizer') f.sha256 = await sha256Hex(bytes);
  return { manifest: { ...pkg.manifest, files }, files: { ...pkg.files, 'tokenizer.json': bytes } };
}

const invisible = async (model: string) => expectProblem(await call(`/v1/models/${model}`, { key: writer }), 404, /no model named/);

describe('models refused at commit', () => {
  it('a graph that sizes a tensor from an input value (ConstantOfShape(n) → ReduceSum)', async () => {
    const bomb = await tensorModel(
      graphOf(
        [
          { opType: 'ConstantOfShape', inputs: ['n'], outputs: ['big'], name: 'bomb' },
          { opType: 'ReduceSum', inputs: ['big'], outputs: ['y'], name: 'sum' },
        ],
        [{ name: 'n', elemType: DataType.INT64, shape: [1] }],
        [{ name: 'y', elemType: DataType.FLOAT, shape: [] }],
      ),
      'n',
    );
    await expectProblem(await commit('bomb', bomb), 422, /ConstantOfShape node "bomb" sizes its output from the values of a graph input/);
    await invisible('bomb');
  });
  it('an operator outside the allow-list, named', async () => {
    const loop = await tensorModel(
      graphOf(
        [{ opType: 'NonMaxSuppression', inputs: ['x'], outputs: ['y'], name: 'nms' }],
        [{ name: 'x', elemType: DataType.INT64, shape: [-1] }],
        [{ name: 'y', elemType: DataType.INT64, shape: [-1] }],
      ),
      'x',
    );
    await expectProblem(await commit('odd-op', loop), 422, /operator\(s\) NonMaxSuppression are not allowed/);
    await invisible('odd-op');
  });
  it('a graph input nothing feeds, and a task output the graph lacks, each named', async () => {
    const pkg = await tensorModel(
      graphOf(
        [{ opType: 'Add', inputs: ['x', 'position_ids'], outputs: ['y'], name: 'add' }],
        [
          { name: 'x', elemType: DataType.INT64, shape: [-1] },
          { name: 'position_ids', elemType: DataType.INT64, shape: [-1] },
        ],
        [{ name: 'y', elemType: DataType.INT64, shape: [-1] }],
      ),
      'x',
      'logits',
    );
    const problem = await expectProblem(await commit('unfed', pkg), 422, /graph input "position_ids" is not described by the manifest/);
    expect(problem.detail).toMatch(/the graph has no output "logits"/);
    await invisible('unfed');
  });
  it('a tokenizer whose pattern can backtrack catastrophically, while /healthz stays fast', async () => {
    const json = {
      ...wordpieceTokenizerJson,
      pre_tokenizer: { type: 'Split', pattern: { Regex: '(a+)+$' }, behavior: 'Isolated', invert: false },
    };
    const pending = commit('regex', await withTokenizer(JSON.stringify(json)));
    const t = performance.now();
    expect((await call('/healthz')).status).toBe(200);
    expect(performance.now() - t).toBeLessThan(100);
    await expectProblem(await pending, 422, /"\(a\+\)\+\$" can backtrack catastrophically/);
    await invisible('regex');
  });
  it('a tokenizer.json that does not parse, and one over 4 MiB', async () => {
    await expectProblem(await commit('garbled', await withTokenizer('{"model": ')), 422, /tokenizer.json is not JSON/);
    const huge = JSON.stringify({ ...wordpieceTokenizerJson, padding: 'x'.repeat(4 << 20) });
    await expectProblem(await commit('huge', await withTokenizer(huge)), 422, /tokenizer.json is \d+ bytes; at most 4194304/);
    await invisible('garbled');
    await invisible('huge');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MergeMethod, mergeTensor } from '../../models/merge/methods.ts';
import { mergeStreaming } from '../../models/merge/stream.ts';
import { buildMultitaskModel } from '../../models/multitask/graph.ts';
import { fixtureWeights } from '../../models/multitask/weights.ts';
import { externalize, internalize } from '../../models/onnx/external.ts';
import { bytesReader } from '../../models/onnx/index.ts';
import { decodeModel, encodeModel } from '../../models/onnx/model.ts';
import { floatsOf, floatTensor } from '../../models/onnx/tensor.ts';
import { quantizeModel } from '../../models/quantize/graph.ts';
import { CreateMerge } from '../../schemas/api/merges.ts';
import { METHODS, methodSpec, needsUnlabelled, requestParameters } from '../../schemas/merge-methods.ts';

const vec = (n: number) =>
  fc
    .array(fc.float({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n })
    .map((a) => Float32Array.from(a));
const tensors = fc
  .integer({ min: 1, max: 40 })
  .chain((n) => fc.record({ base: vec(n), experts: fc.array(vec(n), { minLength: 1, maxLength: 4 }) }));
const copy = (a: Float32Array[]) => a.map((x) => x.slice());
const close = (a: Float32Array, b: Float32Array, tol = 1e-4) => {
  for (const [i, x] of a.entries()) expect(Math.abs(x - b[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]!)));
};

describe('merge methods (properties)', () => {
  it('averaging identical models gives the same model', () => {
    fc.assert(
      fc.property(vec(20), fc.integer({ min: 1, max: 5 }), (m, k) => {
        close(
          mergeTensor(
            'average',
            undefined,
            Array.from({ length: k }, () => m.slice()),
          ),
          m,
        );
      }),
    );
  });
  it('lambda 0 gives the base, for every method that uses one', () => {
    const methods: MergeMethod[] = ['task_arithmetic', 'ties', 'dare_linear', 'dare_ties', 'breadcrumbs', 'breadcrumbs_ties'];
    fc.assert(
      fc.property(
        tensors,
        fc.constantFrom(...methods),
        fc.double({ min: 0.1, max: 1, noNaN: true }),
        ({ base, experts }, method, density) => {
          close(mergeTensor(method, base, copy(experts), { lambda: 0, density, gamma: 0.05 }), base, 0);
        },
      ),
    );
  });
  it('ties with density 1 and one expert equals task arithmetic', () => {
    fc.assert(
      fc.property(tensors, fc.double({ min: 0, max: 2, noNaN: true }), ({ base, experts }, lambda) => {
        const one = [experts[0]!];
        close(mergeTensor('ties', base, copy(one), { density: 1, lambda }), mergeTensor('task_arithmetic', base, copy(one), { lambda }));
      }),
    );
  });
  it('dare with density 1 equals task arithmetic', () => {
    fc.assert(
      fc.property(tensors, fc.integer(), ({ base, experts }, seed) => {
        close(mergeTensor('dare_linear', base, copy(experts), { density: 1, seed }), mergeTensor('task_arithmetic', base, copy(experts)));
      }),
    );
  });
  it('is independent of expert order (with their weights) for every method but DARE', () => {
    const methods: MergeMethod[] = ['average', 'task_arithmetic', 'ties', 'breadcrumbs', 'breadcrumbs_ties'];
    fc.assert(
      fc.property(tensors, fc.constantFrom(...methods), ({ base, experts }, method) => {
        const weights = experts.map((_, i) => 1 + i / 2);
        const forward = mergeTensor(method, base, copy(experts), { weights, density: 0.5, gamma: 0.1 });
        const backward = mergeTensor(method, base, copy(experts).reverse(), { weights: [...weights].reverse(), density: 0.5, gamma: 0.1 });
        close(forward, backward);
      }),
    );
  });
  it('keeps the density asked for', () => {
    const base = new Float32Array(1000);
    const expert = Float32Array.from({ length: 1000 }, (_, i) => (i % 2 ? 1 : -1) * (i + 1));
    const kept = (m: MergeMethod) =>
      mergeTensor(m, base, [expert.slice()], { density: 0.2, gamma: 0.05, seed: 3 }).filter((x) => x !== 0).length;
    expect(kept('ties')).toBe(200);
    expect(kept('breadcrumbs')).toBe(200);
    expect(Math.abs(kept('dare_linear') - 200)).toBeLessThan(50);
    const crumbs = mergeTensor('breadcrumbs', base, [expert.slice()], { density: 0.2, gamma: 0.05 });
    expect(crumbs[999]).toBe(0); // the largest 5% are dropped
    expect(Math.abs(crumbs[949]!)).toBe(950);
  });
});

describe('streaming merge of ONNX models', () => {
  const shape = { vocab: 256, dim: 8, hidden: [256], tasks: { a: ['x', 'y'], b: ['p', 'q'] } };
  const models = [1, 2, 3].map((s) => buildMultitaskModel(fixtureWeights(s, shape)));
  const input = (m: ReturnType<typeof buildMultitaskModel>) => {
    const { model, data } = externalize(m, 'w.data', 64);
    return { graph: bytesReader(encodeModel(model)), external: () => bytesReader(data) };
  };
  const run = async (inputs: ReturnType<typeof buildMultitaskModel>[], extra: Partial<Parameters<typeof mergeStreaming>[0]> = {}) => {
    const chunks: Uint8Array[] = [];
    const out = await mergeStreaming({
      method: 'ties',
      params: { density: 0.5, lambda: 0.8 },
      base: input(inputs[0]!),
      experts: inputs.slice(1).map(input),
      dataLocation: 'merged.data',
      sink: {
        append: async (b) => {
          chunks.push(b.slice());
        },
      },
      ...extra,
    });
    const data = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
    let o = 0;
    for (const c of chunks) {
      data.set(c, o);
      o += c.length;
    }
    return { out, model: internalize(decodeModel(out.graph), { 'merged.data': data }) };
  };
  const floats = (m: ReturnType<typeof decodeModel>, name: string) => floatsOf(m.graph.initializers.find((t) => t.name === name)!);

  it('gives what the in-memory method gives, tensor by tensor, and carries heads unmerged', async () => {
    const { model, out } = await run(models, { carried: { 'head.a.w': 0, 'head.a.b': 0 } });
    for (const name of ['embedding', 'layer0.w', 'head.b.w']) {
      const want = mergeTensor(
        'ties',
        floats(models[0]!, name),
        models.slice(1).map((m) => floats(m, name)),
        { density: 0.5, lambda: 0.8 },
        name,
      );
      expect(floats(model, name)).toEqual(want);
    }
    expect(floats(model, 'head.a.w')).toEqual(floats(models[1]!, 'head.a.w'));
    expect(model.graph.nodes).toEqual(models[0]!.graph.nodes);
    expect(out.largestTensorBytes).toBe(256 * 8 * 4);
  });
  it('re-quantizes when asked, and merges int8 inputs into int8', async () => {
    const { model } = await run(models, { quantize: true });
    expect(model.graph.nodes.some((n) => n.opType === 'MatMulInteger')).toBe(true);
    expect(model.graph.initializers.find((t) => t.name === 'embedding.q')!.dataType).toBe(3);
    const fromInt8 = await run(models.map((m) => quantizeModel(m)));
    expect(fromInt8.model.graph.initializers.map((t) => t.name)).toEqual(model.graph.initializers.map((t) => t.name));
  });
  it('gives the same bytes merging in small row blocks as whole tensors, for every method', async () => {
    for (const method of ['average', 'task_arithmetic', 'ties', 'dare_linear', 'dare_ties', 'breadcrumbs', 'breadcrumbs_ties'] as const) {
      for (const quantize of [false, true]) {
        const extra = { method, params: { density: 0.3, lambda: 0.7, gamma: 0.05, seed: 5 }, quantize };
        const whole = await run(models, extra);
        const chunked = await run(models, { ...extra, chunkElements: 100 });
        expect(encodeModel(chunked.model)).toEqual(encodeModel(whole.model));
        expect(chunked.out.largestTensorBytes).toBeLessThanOrEqual(256 * 4); // a block, not the 8 KiB table
      }
    }
  });
  it('gives the same bytes in row blocks when trims cut through tied magnitudes', async () => {
    // weights on a coarse grid, so many magnitudes are equal and the trims must count
    // the tied values before each block to keep the ones the whole tensor keeps
    const coarse = models.map((m) => ({
      ...m,
      graph: {
        ...m.graph,
        initializers: m.graph.initializers.map((t) =>
          t.dataType === 1
            ? floatTensor(
                t.name,
                t.dims,
                floatsOf(t).map((x) => Math.round(x * 8) / 8),
              )
            : t,
        ),
      },
    }));
    for (const method of ['ties', 'breadcrumbs', 'breadcrumbs_ties'] as const) {
      const extra = { method, params: { density: 0.37, gamma: 0.07, weights: [1, 0.5] } };
      const whole = await run(coarse, extra);
      const chunked = await run(coarse, { ...extra, chunkElements: 96 });
      expect(encodeModel(chunked.model)).toEqual(encodeModel(whole.model));
    }
  });
  it('refuses a method that needs a base without one', async () => {
    await expect(
      mergeStreaming({ method: 'ties', experts: [input(models[1]!)], dataLocation: 'x', sink: { append: async () => {} } }),
    ).rejects.toThrow(/needs a base/);
  });
});

describe('merge requests, validated from the method table', () => {
  const request = (method: string, parameters: Record<string, unknown> = {}, base: number | null = 1) =>
    CreateMerge.safeParse({
      model: 'm',
      ...(base === null ? {} : { base }),
      experts: [{ version: 2 }],
      method,
      parameters,
      ...(needsUnlabelled(method as never) ? { unlabelled_file: 'f' } : {}),
    });
  const messages = (r: ReturnType<typeof request>) => (r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));

  it('accepts each method with the parameters it takes, and refuses the others by name', () => {
    const sample = { lambda: 0.5, density: 0.5, gamma: 0.05, seed: 3, normalize: true, layerwise: false, init: 0.2, budget: 50 } as const;
    for (const method of METHODS) {
      const takes = requestParameters(method);
      expect(messages(request(method, Object.fromEntries(takes.map((p) => [p, sample[p as keyof typeof sample]]))))).toEqual([]);
      for (const other of Object.keys(sample).filter((p) => !takes.includes(p as never)))
        expect(messages(request(method, { [other]: sample[other as keyof typeof sample] }))).toEqual([
          `parameters.${other}: ${method} does not take ${other} (it takes ${takes.join(', ')})`,
        ]);
    }
  });
  it('requires a base exactly where the table says', () => {
    for (const method of METHODS)
      expect(messages(request(method, {}, null))).toEqual(methodSpec(method).needsBase ? [`base: ${method} needs a base version`] : []);
  });
  it('asks for unlabelled texts and no expert weights exactly where a method learns its weights', () => {
    const body = (method: string, extra: object) => ({ model: 'm', base: 1, experts: [{ version: 2 }], method, ...extra });
    const issues = (b: object) => {
      const r = CreateMerge.safeParse(b);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues(body('adamerging', {}))).toEqual([
      'unlabelled_file: adamerging learns its weights from unlabelled texts: give unlabelled_file',
    ]);
    expect(issues(body('ties', { unlabelled_file: 'f' }))).toEqual(['unlabelled_file: ties takes no unlabelled_file']);
    expect(issues(body('adamerging', { unlabelled_file: 'f', experts: [{ version: 2, weight: 2 }] }))).toEqual([
      "experts.0.weight: adamerging learns the experts' weights: give none",
    ]);
    expect(issues(body('adamerging', { unlabelled_file: 'f', parameters: { budget: 0 } }))[0]).toMatch(/^parameters.budget: /);
  });
  it("checks the table's ranges and keeps the earlier request shape", () => {
    expect(messages(request('ties', { density: 0 }))[0]).toMatch(/^parameters.density: /);
    expect(messages(request('breadcrumbs', { gamma: 1 }))[0]).toMatch(/^parameters.gamma: /);
    expect(messages(request('dare_ties', { seed: 1.5 }))[0]).toMatch(/^parameters.seed: /);
    expect(messages(request('ties', { lambda: 11 }))[0]).toMatch(/^parameters.lambda: /);
    const ok = CreateMerge.parse({
      model: 'm',
      base: 1,
      experts: [{ version: 2, weight: 2 }],
      method: 'ties',
      parameters: { density: 0.5, lambda: 1 },
    });
    expect(ok).toEqual({
      model: 'm',
      base: 1,
      experts: [{ version: 2, weight: 2 }],
      method: 'ties',
      parameters: { density: 0.5, lambda: 1 },
      quantize: false,
    });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMultitaskModel } from '../../models/multitask/graph.ts';
import { fixtureWeights } from '../../models/multitask/weights.ts';
import { externalize, internalize } from '../../models/onnx/external.ts';
import { bytesReader, indexOnnx, readIndexed } from '../../models/onnx/index.ts';
import { decodeModel, encodeModel } from '../../models/onnx/model.ts';
import { ProtoError } from '../../models/onnx/wire.ts';
import { quantizeModel } from '../../models/quantize/graph.ts';

const shape = { vocab: 512, dim: 8, hidden: [16], tasks: { a: ['x', 'y'], b: ['p', 'q', 'r'] } };
const model = quantizeModel(buildMultitaskModel(fixtureWeights(3, shape)), { minElements: 128 });
const bytes = encodeModel(model);

describe('ONNX read/write', () => {
  it('writes what it read, byte for byte', () => {
    expect(encodeModel(decodeModel(bytes))).toEqual(bytes);
  });
  it('reads the graph back intact', () => {
    const back = decodeModel(bytes);
    expect(back.graph.inputs.map((i) => [i.name, i.shape])).toEqual([
      ['ids', ['batch', 'tokens']],
      ['weights', ['batch', 'tokens']],
    ]);
    // the heads, then the shared encoder's output (the embedding task's)
    expect(back.graph.outputs.map((o) => o.name)).toEqual(['a', 'b', 'layer0.out']);
    const emb = back.graph.initializers.find((t) => t.name === 'embedding.q')!;
    expect(emb.dims).toEqual([512, 8]);
    expect(emb.data).toEqual(model.graph.initializers.find((t) => t.name === 'embedding.q')!.data);
    expect(back.graph.nodes.find((n) => n.opType === 'DequantizeLinear')!.attributes).toEqual([{ name: 'axis', type: 2, i: -1 }]);
  });
  it('moves weights to an external file and back', () => {
    const { model: slim, data } = externalize(model, 'w.data');
    expect(data.length).toBeGreaterThanOrEqual(512 * 8);
    expect(encodeModel(slim).length).toBeLessThan(bytes.length - 512 * 8 + 200); // the reference itself costs a few bytes
    const restored = internalize(decodeModel(encodeModel(slim)), { 'w.data': data });
    expect(encodeModel(restored)).toEqual(bytes);
    expect(() => internalize(slim, {})).toThrow(/external file "w.data", which was not provided/);
    expect(() => internalize(slim, { 'w.data': data.subarray(0, 100) })).toThrow(/is 100 bytes/);
  });
  it('throws ProtoError on any truncation or corruption, never hangs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.boolean(), (at, value, truncate) => {
        const broken = truncate ? bytes.subarray(0, at) : Uint8Array.from(bytes, (b, i) => (i === at ? value : b));
        try {
          decodeModel(broken);
        } catch (e) {
          expect(e).toBeInstanceOf(ProtoError);
        }
      }),
      { numRuns: 1000 },
    );
  });
  it('indexes initializers by byte offset through range reads, inline or external', async () => {
    const reads: number[] = [];
    const reader = {
      size: bytes.length,
      read: async (o: number, n: number) => {
        reads.push(n);
        return bytes.subarray(o, o + n);
      },
    };
    const { skeleton, tensors } = await indexOnnx(reader);
    expect(skeleton.graph.initializers).toEqual([]);
    expect(encodeModel({ ...skeleton, graph: { ...skeleton.graph, initializers: model.graph.initializers } })).toEqual(bytes);
    for (const t of model.graph.initializers) {
      const found = tensors.find((x) => x.name === t.name)!;
      expect(found.dims).toEqual(t.dims);
      expect(await readIndexed(found, reader, () => reader)).toEqual(t.data);
    }
    const { model: slim, data } = externalize(model, 'w.data');
    const ext = await indexOnnx(bytesReader(encodeModel(slim)));
    const emb = ext.tensors.find((x) => x.name === 'embedding.q')!;
    expect(emb.source).toMatchObject({ location: 'w.data', length: 512 * 8 });
    expect(await readIndexed(emb, bytesReader(new Uint8Array()), () => bytesReader(data))).toEqual(
      model.graph.initializers.find((t) => t.name === 'embedding.q')!.data,
    );
    await expect(readIndexed(emb, bytesReader(new Uint8Array()), () => bytesReader(data.subarray(0, 10)))).rejects.toThrow(/needs bytes/);
  });
  it('names what is wrong with bytes that are not ONNX', () => {
    expect(() => decodeModel(new TextEncoder().encode('{"not": "onnx"}'))).toThrow(ProtoError);
    expect(() => decodeModel(new Uint8Array([0x08, 0x07]))).toThrow(/no graph/);
  });
});

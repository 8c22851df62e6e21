// int8 weight quantization of an ONNX graph, in the forms onnxruntime-web's WASM runs
// fast while keeping weights int8 in its heap (measurements in DESIGN.md):
//  - Gather on a float table → Gather on the int8 table, then DequantizeLinear of just
//    the gathered rows (dequantizing the whole table first rebuilds it every run);
//  - MatMul by a float weight → DynamicQuantizeLinear → MatMulInteger → rescale (a
//    weight-only DequantizeLinear → MatMul becomes a kernel 5-10x slower in WASM).
// Scales are symmetric per output channel (the last axis). Small weights stay float:
// they cost nothing and task heads keep their decision boundaries exact.
import { AttrType, DataType, type Model, type Node, type Tensor } from '../onnx/model.ts';
import { floatsOf, floatTensor, int8Tensor } from '../onnx/tensor.ts';
import { quantizeColumns } from './int8.ts';

export interface QuantizeOptions {
  minElements?: number;
  /** false: rewrite the graph only, leaving the new int8/scale initializers empty (a
   * streaming merge fills them tensor by tensor) */
  withData?: boolean;
}

export function quantizeModel(model: Model, opts: QuantizeOptions = {}): Model {
  const minElements = opts.minElements ?? 2048;
  const inits = new Map(model.graph.initializers.map((t) => [t.name, t]));
  const uses = new Map<string, number>();
  for (const n of model.graph.nodes) for (const i of n.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
  const quantizable = (name: string | undefined): Tensor | undefined => {
    const t = name === undefined ? undefined : inits.get(name);
    return t && t.dataType === DataType.FLOAT && t.dims.length === 2 && t.dims[0]! * t.dims[1]! >= minElements && uses.get(t.name) === 1
      ? t
      : undefined;
  };
  const int8 = new Map<string, { q: Tensor; scale: Tensor }>();
  const toInt8 = (t: Tensor) => {
    const [rows, cols] = t.dims as [number, number];
    const { q, scale } =
      opts.withData === false ? { q: new Int8Array(0), scale: new Float32Array(0) } : quantizeColumns(floatsOf(t), rows, cols);
    const out = { q: int8Tensor(`${t.name}.q`, t.dims, q), scale: floatTensor(`${t.name}.scale`, [cols], scale) };
    int8.set(t.name, out);
    return out;
  };

  const nodes: Node[] = [];
  for (const n of model.graph.nodes) {
    const table =
      n.opType === 'Gather' && !(n.attributes ?? []).some((a) => a.name === 'axis' && a.i !== 0) ? quantizable(n.inputs[0]) : undefined;
    const weight = n.opType === 'MatMul' ? quantizable(n.inputs[1]) : undefined;
    const out = n.outputs[0]!;
    if (table) {
      const { q, scale } = toInt8(table);
      nodes.push({ opType: 'Gather', inputs: [q.name, n.inputs[1]!], outputs: [`${out}.q`], name: `${out}.q` });
      // axis -1: the table's columns are the gathered rows' last axis, whatever the index rank
      nodes.push({
        opType: 'DequantizeLinear',
        inputs: [`${out}.q`, scale.name],
        outputs: [out],
        name: out,
        attributes: [{ name: 'axis', type: AttrType.INT, i: -1 }],
      });
    } else if (weight) {
      const { q, scale } = toInt8(weight);
      const x = n.inputs[0]!;
      const p = `${out}.int8`;
      nodes.push(
        { opType: 'DynamicQuantizeLinear', inputs: [x], outputs: [`${p}.x`, `${p}.xs`, `${p}.xzp`], name: `${p}.dql` },
        { opType: 'MatMulInteger', inputs: [`${p}.x`, q.name, `${p}.xzp`], outputs: [`${p}.acc`], name: `${p}.mmi` },
        {
          opType: 'Cast',
          inputs: [`${p}.acc`],
          outputs: [`${p}.accf`],
          name: `${p}.cast`,
          attributes: [{ name: 'to', type: AttrType.INT, i: DataType.FLOAT }],
        },
        { opType: 'Mul', inputs: [`${p}.xs`, scale.name], outputs: [`${p}.scale`], name: `${p}.scale` },
        { opType: 'Mul', inputs: [`${p}.accf`, `${p}.scale`], outputs: [out], name: out },
      );
    } else {
      nodes.push(n);
    }
  }
  const initializers = model.graph.initializers.flatMap((t) => {
    const q = int8.get(t.name);
    return q ? [q.q, q.scale] : [t];
  });
  const opset = Math.max(13, ...model.opsetImports.filter((o) => o.domain === '').map((o) => o.version));
  return {
    ...model,
    opsetImports: [...model.opsetImports.filter((o) => o.domain !== ''), { domain: '', version: opset }],
    graph: { ...model.graph, nodes, initializers },
    metadata: { ...model.metadata, 'chimera.quantization': 'int8' },
  };
}

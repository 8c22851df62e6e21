// The multitask graph Chimera's demo and fixture models share: a hashed n-gram
// embedding bag (mean pooled), shared ReLU layers, and one linear head per task.
// Inputs: ids int64 [batch, tokens] and weights float [batch, tokens] (1/n per real
// token, 0 for padding). One output per task: logits [batch, labels]; and the shared
// encoder's output, the vector every head reads ([batch, width], pooled already by the
// bag), which the `embedding` task serves L2-normalised.
//
// The int8 form is made from this one by models/quantize.
import { AttrType, DataType, type Model, type Node, type Tensor } from '../onnx/model.ts';
import { floatTensor, int64Tensor } from '../onnx/tensor.ts';

export interface Dense {
  w: Float32Array;
  b: Float32Array;
  inDim: number;
  outDim: number;
}
export interface MultitaskWeights {
  vocab: number;
  dim: number;
  embedding: Float32Array; // [vocab, dim]
  layers: Dense[]; // shared
  heads: Record<string, Dense>; // per task
}

/** Initializer names of one task's head: what a merge carries from that task's expert. */
export const headInitializers = (task: string): string[] => [`head.${task}.w`, `head.${task}.b`];

/** The shared encoder's output: the last shared layer's (the pooled bag without layers). */
export const encoderOutput = (layers: number): string => (layers ? `layer${layers - 1}.out` : 'pooled');

/** The embedding task of a multitask package: the encoder's output, L2-normalised. It has
 * no head of its own, so a merge serves the merged encoder's. */
export const EMBEDDING_TASK = {
  kind: 'embedding' as const,
  normalize: true,
  description: "the shared encoder's output (the vector every head reads), L2-normalised",
};

export function buildMultitaskModel(wts: MultitaskWeights): Model {
  const nodes: Node[] = [];
  const inits: Tensor[] = [];
  const node = (opType: string, inputs: string[], outputs: string[], attributes: Node['attributes'] = []) =>
    nodes.push({ opType, inputs, outputs, name: outputs[0], attributes });

  inits.push(int64Tensor('axes.last', [1], [-1]), int64Tensor('axes.tokens', [1], [1]));
  inits.push(floatTensor('embedding', [wts.vocab, wts.dim], wts.embedding));
  node('Gather', ['embedding', 'ids'], ['tokens']);
  node('Unsqueeze', ['weights', 'axes.last'], ['weights.3d']);
  node('Mul', ['tokens', 'weights.3d'], ['tokens.weighted']);
  node('ReduceSum', ['tokens.weighted', 'axes.tokens'], ['pooled'], [{ name: 'keepdims', type: AttrType.INT, i: 0 }]);

  let x = 'pooled';
  wts.layers.forEach((layer, i) => {
    const p = `layer${i}`;
    inits.push(floatTensor(`${p}.w`, [layer.inDim, layer.outDim], layer.w));
    node('MatMul', [x, `${p}.w`], [`${p}.mm`]);
    inits.push(floatTensor(`${p}.b`, [layer.outDim], layer.b));
    node('Add', [`${p}.mm`, `${p}.b`], [`${p}.pre`]);
    node('Relu', [`${p}.pre`], [`${p}.out`]);
    x = `${p}.out`;
  });

  const outputs = Object.entries(wts.heads).map(([task, head]) => {
    const [w, b] = headInitializers(task) as [string, string];
    inits.push(floatTensor(w, [head.inDim, head.outDim], head.w), floatTensor(b, [head.outDim], head.b));
    node('MatMul', [x, w], [`head.${task}.mm`]);
    node('Add', [`head.${task}.mm`, b], [task]);
    return { name: task, elemType: DataType.FLOAT, shape: ['batch', head.outDim] };
  });

  const encoded = { name: x, elemType: DataType.FLOAT, shape: ['batch', wts.layers.at(-1)?.outDim ?? wts.dim] };
  return {
    irVersion: 8,
    producerName: 'chimera',
    opsetImports: [{ domain: '', version: 17 }],
    graph: {
      name: 'multitask',
      nodes,
      initializers: inits,
      inputs: [
        { name: 'ids', elemType: DataType.INT64, shape: ['batch', 'tokens'] },
        { name: 'weights', elemType: DataType.FLOAT, shape: ['batch', 'tokens'] },
      ],
      outputs: [...outputs, encoded],
    },
  };
}

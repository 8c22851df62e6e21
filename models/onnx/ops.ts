// Which graphs a tenant may run. An allow-list of operators (those of the encoders the
// Hugging Face exporters write, our own multitask and int8 graphs, and common
// elementwise math), and a data-flow check: no tensor whose size is decided by the
// *values* of a graph input (ConstantOfShape(n) with n fed by the caller allocates
// whatever the caller asks). Sizes decided by input *shapes* are fine: the request
// limits bound those.
import type { Graph } from './model.ts';

const STANDARD = `Abs Add And ArgMax Cast Clip Concat Constant ConstantOfShape CumSum DequantizeLinear Div Dropout
  DynamicQuantizeLinear Einsum Equal Erf Exp Expand Flatten Gather GatherElements Gelu Gemm Greater GreaterOrEqual Identity
  IsNaN LayerNormalization Less LessOrEqual Log MatMul MatMulInteger Max Min Mul Neg Not Or Pow QuantizeLinear Range
  Reciprocal ReduceMax ReduceMean ReduceSum Relu Reshape Shape Sigmoid Size Slice Softmax Split Sqrt Squeeze Sub Tanh
  Transpose Unsqueeze Where`.split(/\s+/);
// onnxruntime's own fused kernels, as its transformer optimizer writes them
const MICROSOFT = ['BiasGelu', 'FastGelu', 'Gelu', 'SkipLayerNormalization'];

export const ALLOWED_OPS = new Set([...STANDARD, ...MICROSOFT.map((op) => `com.microsoft.${op}`)]);

const opName = (n: { opType: string; domain?: string }) => (n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType);

/** Inputs (by position) whose values decide the size of an op's output. */
const SIZING_INPUTS: Record<string, number[]> = {
  ConstantOfShape: [0],
  Expand: [1],
  Range: [0, 1, 2],
  Tile: [1],
  Pad: [1],
  OneHot: [1],
  Resize: [1, 2, 3],
};
/** Ops whose output depends on an input's shape, never its values. */
const SHAPE_ONLY = new Set(['Shape', 'Size']);

/** What in the graph a tenant may not run, each naming the node; empty when it may. */
export function graphProblems(graph: Graph): string[] {
  const problems: string[] = [];
  const unknown = new Set(graph.nodes.map(opName).filter((op) => !ALLOWED_OPS.has(op)));
  if (unknown.size) problems.push(`operator(s) ${[...unknown].join(', ')} are not allowed (see docs/models.md for the list)`);
  const initializers = new Set(graph.initializers.map((t) => t.name));
  // tensors whose values depend on a caller's input values (nodes come in topological order)
  const tainted = new Set(graph.inputs.map((i) => i.name).filter((n) => !initializers.has(n)));
  for (const node of graph.nodes) {
    for (const i of SIZING_INPUTS[node.opType] ?? []) {
      const input = node.inputs[i];
      if (input && tainted.has(input)) {
        problems.push(`${node.opType} node "${node.name ?? node.outputs[0]}" sizes its output from the values of a graph input`);
      }
    }
    if (!SHAPE_ONLY.has(node.opType) && node.inputs.some((i) => tainted.has(i))) for (const o of node.outputs) tainted.add(o);
  }
  return problems;
}

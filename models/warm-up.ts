// What ORT runs before the isolate's first model: a tiny int8 multitask graph (the shape of
// the packages Chimera builds: int8 Gather and DequantizeLinear, DynamicQuantizeLinear,
// MatMulInteger, the heads), created and run once. An Identity graph only started the
// runtime; this one also takes the first, slow pass through the kernels a real model
// uses, so a fresh isolate's first request spends less on its own load (a one-off A/B
// against the Identity graph, with bench:throughput's cold start: docs/performance.md).
import type { TensorData } from './backend.ts';
import { buildMultitaskModel } from './multitask/graph.ts';
import { FIXTURE_TASKS, fixtureWeights } from './multitask/weights.ts';
import { encodeModel } from './onnx/model.ts';
import { quantizeModel } from './quantize/graph.ts';

const TOKENS = 16;

export function warmUpModel(): { graph: Uint8Array; feeds: Record<string, TensorData> } {
  const weights = fixtureWeights(1, { vocab: 256, dim: 16, hidden: [16], tasks: FIXTURE_TASKS });
  return {
    graph: encodeModel(quantizeModel(buildMultitaskModel(weights), { minElements: 64 })),
    feeds: {
      ids: { type: 'int64', data: BigInt64Array.from({ length: TOKENS }, (_, i) => BigInt(i)), dims: [1, TOKENS] },
      weights: { type: 'float32', data: new Float32Array(TOKENS).fill(1 / TOKENS), dims: [1, TOKENS] },
    },
  };
}

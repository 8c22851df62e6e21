// Checks that a graph is what its manifest says, from the graph's skeleton alone (no
// weights read): it runs only allowed operators and sizes nothing from input values,
// every task output exists, the inputs the manifest names exist with the right types,
// and external data points into files of the package, within their size.
import type { Manifest } from '../schemas/manifest.ts';
import type { OnnxIndex } from './onnx/index.ts';
import { DataType } from './onnx/model.ts';
import { graphProblems } from './onnx/ops.ts';

const ELEM: Record<string, number> = { float32: DataType.FLOAT, int64: DataType.INT64, int32: DataType.INT32 };

export function checkPackage(manifest: Manifest, index: OnnxIndex, fileBytes: Record<string, number>): string[] {
  const graph = index.skeleton.graph;
  const problems = graphProblems(graph);
  const outputs = new Set(graph.outputs.map((o) => o.name));
  const inputs = new Map(graph.inputs.map((i) => [i.name, i]));
  const outputShapes = new Map(graph.outputs.map((o) => [o.name, o.shape]));
  for (const [task, spec] of Object.entries(manifest.tasks)) {
    if (!outputs.has(spec.output)) {
      problems.push(`task ${task}: the graph has no output "${spec.output}" (it has ${[...outputs].join(', ')})`);
      continue;
    }
    const pooling = spec.pooling ?? 'none';
    if (pooling === 'none') continue;
    if (manifest.input.kind !== 'text') problems.push(`task ${task}: ${pooling} pooling needs text input (it pools over tokens)`);
    const rank = outputShapes.get(spec.output)?.length;
    if (rank && rank !== 3)
      problems.push(`task ${task}: ${pooling} pooling needs output "${spec.output}" of [batch, tokens, hidden]; it has rank ${rank}`);
  }
  const wantInputs: [string, number][] =
    manifest.input.kind === 'text'
      ? [
          [manifest.input.tensors.ids, DataType.INT64],
          ...(manifest.input.tensors.weights ? [[manifest.input.tensors.weights, DataType.FLOAT] as [string, number]] : []),
          ...(manifest.input.tensors.mask ? [[manifest.input.tensors.mask, DataType.INT64] as [string, number]] : []),
          ...(manifest.input.tensors.type_ids ? [[manifest.input.tensors.type_ids, DataType.INT64] as [string, number]] : []),
        ]
      : manifest.input.tensors.map((t) => [t.name, ELEM[t.dtype]!]);
  for (const [name, elem] of wantInputs) {
    const found = inputs.get(name);
    if (!found) problems.push(`input "${name}" named by the manifest is not a graph input (inputs: ${[...inputs.keys()].join(', ')})`);
    else if (found.elemType !== elem)
      problems.push(`input "${name}" has element type ${found.elemType} in the graph; the manifest implies ${elem}`);
  }
  const declared = new Set(wantInputs.map(([n]) => n));
  const initializers = new Set(index.tensors.map((t) => t.name));
  for (const name of inputs.keys()) {
    if (!declared.has(name) && !initializers.has(name)) problems.push(`graph input "${name}" is not described by the manifest`);
  }
  const external = new Set(manifest.files.filter((f) => f.role === 'external-data').map((f) => f.path));
  for (const t of index.tensors) {
    const loc = t.source.location;
    if (loc === null) continue;
    if (!external.has(loc)) {
      problems.push(`initializer ${t.name} lives in "${loc}", which is not an external-data file of the manifest`);
      continue;
    }
    const end = t.source.offset + Math.max(t.source.length, 0);
    if (end > fileBytes[loc]!) problems.push(`initializer ${t.name} needs bytes up to ${end} of "${loc}", which has ${fileBytes[loc]}`);
  }
  return problems;
}

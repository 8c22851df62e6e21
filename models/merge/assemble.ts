// Fine-tunes of one base, each with its own head, merged into one multitask graph: the
// shared encoder is merged, and every expert's head (the nodes between the encoder and
// its output, with their initializers) is kept as it was, renamed under its task. A head
// is found from the graphs: the initializers whose shapes differ between the inputs
// (different label counts) and, failing that, those named as Hugging Face names heads;
// or the caller names them.
import type { Graph, Model, Node, ValueInfo } from '../onnx/model.ts';

/** Hugging Face's names for sequence-classification heads */
const HF_HEADS = ['classifier.', 'pre_classifier.', 'score.'];

/** The head initializers: named (as exact names or prefixes), else found as above. */
export function headInitializers(graphs: Graph[], named?: string[]): Set<string> {
  const names = graphs[0]!.initializers.map((t) => t.name);
  if (named?.length) return new Set(names.filter((n) => named.some((h) => n === h || n.startsWith(h.endsWith('.') ? h : `${h}.`))));
  const dimsOf = (g: Graph, n: string) => JSON.stringify(g.initializers.find((t) => t.name === n)?.dims ?? null);
  const differing = names.filter((n) => new Set(graphs.map((g) => dimsOf(g, n))).size > 1);
  const conventional = names.filter((n) => HF_HEADS.some((p) => n.startsWith(p)));
  return new Set([...differing, ...conventional]);
}

/** The nodes a head's initializers flow through on their way to the graph's output. */
export function headNodes(graph: Graph, heads: Set<string>): Node[] {
  const reached = new Set(heads);
  const inHead = graph.nodes.filter((n) => {
    const hit = n.inputs.some((i) => reached.has(i));
    if (hit) for (const o of n.outputs) reached.add(o);
    return hit;
  });
  if (!graph.outputs.some((o) => reached.has(o.name))) throw new Error('the head initializers do not reach the graph output');
  return inHead;
}

export interface AssembledHeads {
  /** the output skeleton: the reference's shared graph plus one renamed head per expert */
  model: Model;
  /** renamed initializer → the expert it is carried from and its name there */
  sources: Record<string, { expert: number; name: string }>;
  /** task → its output and head initializers in the assembled graph */
  tasks: Record<string, { output: string; head: string[] }>;
}

/** Builds the multitask skeleton: `reference` less its head, plus `experts[i]`'s head as task `tasks[i]`. */
export function assembleHeads(reference: Model, experts: Model[], tasks: string[], named?: string[]): AssembledHeads {
  if (new Set(tasks).size !== tasks.length) throw new Error(`experts' tasks must differ; they are ${tasks.join(', ')}`);
  const graphs = [reference.graph, ...experts.map((e) => e.graph)];
  const heads = headInitializers(graphs, named);
  if (heads.size === 0) throw new Error('no head initializers found: name them (--head classifier)');
  checkSharedShapes(graphs, heads);
  const refHead = new Set(headNodes(reference.graph, heads));
  const refOutput = reference.graph.outputs.find((o) => headNodes(reference.graph, heads).some((n) => n.outputs.includes(o.name)))!;
  const graph: Graph = {
    ...reference.graph,
    nodes: reference.graph.nodes.filter((n) => !refHead.has(n)),
    initializers: reference.graph.initializers.filter((t) => !heads.has(t.name)),
    outputs: reference.graph.outputs.filter((o) => o !== refOutput),
  };
  const sources: AssembledHeads['sources'] = {};
  const assembled: AssembledHeads['tasks'] = {};
  for (const [i, expert] of experts.entries()) {
    const task = tasks[i]!;
    const nodes = headNodes(expert.graph, heads);
    const output = expert.graph.outputs.find((o) => o.name === refOutput.name) ?? expert.graph.outputs[0]!;
    const produced = new Set(nodes.flatMap((n) => n.outputs));
    const rename = (name: string) => (name === output.name ? task : produced.has(name) || heads.has(name) ? `${task}/${name}` : name);
    graph.nodes.push(
      ...nodes.map((n) => ({
        ...n,
        name: `${task}/${n.name ?? n.outputs[0]}`,
        inputs: n.inputs.map(rename),
        outputs: n.outputs.map(rename),
      })),
    );
    for (const t of expert.graph.initializers.filter((x) => heads.has(x.name))) {
      graph.initializers.push({ ...t, name: rename(t.name) });
      // int8 pairs (X.q, X.scale) are merged and carried as their logical tensor X
      const logical = t.name.replace(/\.(q|scale)$/, '');
      sources[rename(logical)] = { expert: i, name: logical };
    }
    graph.outputs.push({ ...output, name: task } satisfies ValueInfo);
    assembled[task] = { output: task, head: [...heads].map(rename) };
  }
  return { model: { ...reference, graph }, sources, tasks: assembled };
}

/** Experts whose encoders differ in shape cannot be merged: name the first tensor that does. */
function checkSharedShapes(graphs: Graph[], heads: Set<string>): void {
  const [ref, ...rest] = graphs;
  for (const t of ref!.initializers.filter((x) => !heads.has(x.name))) {
    for (const [i, g] of rest.entries()) {
      const other = g.initializers.find((x) => x.name === t.name);
      if (!other) throw new Error(`input ${i + 1} has no tensor "${t.name}": the experts do not share one base`);
      if (JSON.stringify(other.dims) !== JSON.stringify(t.dims)) {
        throw new Error(`tensor "${t.name}" is [${t.dims.join(', ')}] in the base and [${other.dims.join(', ')}] in input ${i + 1}`);
      }
    }
  }
}

// ONNX external data: large initializers live in a side file, referenced by
// (location, offset, length). onnxruntime-web takes that file as `externalData`, which
// cuts the heap needed while loading from about 2.5x the weights to about 1x.
import type { Model, Tensor } from './model.ts';

const ALIGN = 64;
/** Initializers smaller than this stay inside the graph: ORT's shape inference must read
 * constants such as axes from the graph itself, and tiny tensors gain nothing outside. */
export const EXTERNAL_MIN_BYTES = 1024;

/** Moves initializers of at least `minBytes` into one data file named `location`. */
export function externalize(model: Model, location: string, minBytes = EXTERNAL_MIN_BYTES): { model: Model; data: Uint8Array } {
  let size = 0;
  const placed = model.graph.initializers.map((t) => {
    if (t.data.length < minBytes) return { t, offset: -1 };
    size = Math.ceil(size / ALIGN) * ALIGN;
    const offset = size;
    size += t.data.length;
    return { t, offset };
  });
  const data = new Uint8Array(size);
  const initializers: Tensor[] = placed.map(({ t, offset }) => {
    if (offset < 0) return t;
    data.set(t.data, offset);
    return { ...t, data: new Uint8Array(0), external: { location, offset, length: t.data.length } };
  });
  return { model: { ...model, graph: { ...model.graph, initializers } }, data };
}

/** Resolves external initializers against their files; missing or short files throw. */
export function internalize(model: Model, files: Record<string, Uint8Array>): Model {
  const initializers = model.graph.initializers.map((t) => {
    if (!t.external) return t;
    const { location, offset, length } = t.external;
    const file = files[location];
    if (!file) throw new Error(`initializer ${t.name} is stored in external file "${location}", which was not provided`);
    const end = length < 0 ? file.length : offset + length;
    if (end > file.length) {
      throw new Error(`external file "${location}" is ${file.length} bytes; initializer ${t.name} needs bytes ${offset}..${end}`);
    }
    const { external: _, ...rest } = t;
    return { ...rest, data: file.subarray(offset, end) };
  });
  return { ...model, graph: { ...model.graph, initializers } };
}

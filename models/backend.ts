// The one module that imports onnxruntime-web. "#ort" (package.json imports) is ORT's
// CPU-only WASM build in workerd and Node, and its WebGPU build (which also has WASM)
// in browsers, so everything else in Chimera stays independent of the runtime.
//
// workerd refuses to compile WebAssembly from bytes and has no import.meta.url, so the
// Worker hands us the already-compiled WebAssembly.Module (wrangler turns a .wasm
// import into one). ORT has no option that takes a Module: we give it a placeholder
// wasmBinary and, while ORT initializes, let WebAssembly.instantiate instantiate our
// Module instead. The same hook records the instance's memory, so the session cache
// can count the heap a session really takes. Pin onnxruntime-web exactly: this leans
// on how its loader calls WebAssembly.instantiate.
import * as ort from '#ort';
import { DataType, encodeModel } from './onnx/model.ts';

export type BackendName = 'wasm' | 'webgpu';
export type TensorType = 'float32' | 'int64' | 'int32' | 'int8' | 'uint8';
export type TensorArray = Float32Array | BigInt64Array | Int32Array | Int8Array | Uint8Array;
export interface TensorData {
  type: TensorType;
  data: TensorArray;
  dims: readonly number[];
}

export interface BootOptions {
  /** workerd: the compiled ort-wasm-simd-threaded.wasm module */
  wasmModule?: WebAssembly.Module;
  /** Node: the bytes of ort-wasm-simd-threaded.wasm */
  wasmBinary?: Uint8Array;
  /** browsers: where ORT fetches its .wasm files from */
  wasmPaths?: string;
}

export interface Session {
  backend: BackendName;
  inputNames: readonly string[];
  outputNames: readonly string[];
  /** WASM heap growth while this session was created (0 when freed space was reused) */
  heapGrowth: number;
  run(feeds: Record<string, TensorData>, outputs?: readonly string[]): Promise<Record<string, TensorData>>;
  release(): Promise<void>;
}

let boot: BootOptions = {};
let wasmMemory: WebAssembly.Memory | undefined;
let heapAtBoot = 0;
let initialized: Promise<void> | undefined;

export function configureBackend(options: BootOptions): void {
  boot = options;
  ort.env.wasm.numThreads = 1; // workerd has no threads; Node and browsers gain little at our sizes
  ort.env.wasm.proxy = false;
  if (options.wasmPaths) ort.env.wasm.wasmPaths = options.wasmPaths;
  if (options.wasmBinary) ort.env.wasm.wasmBinary = options.wasmBinary;
  else if (options.wasmModule) ort.env.wasm.wasmBinary = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
}

// ORT's threaded build imports its memory rather than exporting it: look in both.
function findMemory(instance: WebAssembly.Instance, imports?: WebAssembly.Imports): WebAssembly.Memory | undefined {
  const isMemory = (e: unknown): e is WebAssembly.Memory => e instanceof WebAssembly.Memory;
  const imported = Object.values(imports ?? {}).flatMap((m) => Object.values(m as object));
  return Object.values(instance.exports).find(isMemory) ?? imported.find(isMemory);
}

/** Runs `first` with WebAssembly.instantiate hooked, so ORT's one-time init goes through us. */
async function withInstantiateHook<T>(first: () => Promise<T>): Promise<T> {
  const original = WebAssembly.instantiate;
  const hooked = async (source: unknown, imports?: WebAssembly.Imports): Promise<unknown> => {
    if (boot.wasmModule) {
      const instance = await original(boot.wasmModule, imports);
      wasmMemory = findMemory(instance, imports);
      heapAtBoot = wasmHeapBytes();
      return { instance, module: boot.wasmModule };
    }
    const result = await (original as (s: unknown, i?: WebAssembly.Imports) => Promise<unknown>)(source, imports);
    const instance = result instanceof WebAssembly.Instance ? result : (result as WebAssembly.WebAssemblyInstantiatedSource).instance;
    wasmMemory = findMemory(instance, imports);
    heapAtBoot = wasmHeapBytes();
    return result;
  };
  WebAssembly.instantiate = hooked as typeof WebAssembly.instantiate;
  try {
    return await first();
  } finally {
    WebAssembly.instantiate = original;
  }
}

/** Bytes of ORT's WASM heap right now (it only ever grows). */
export const wasmHeapBytes = (): number => wasmMemory?.buffer.byteLength ?? 0;

/** The most of the WASM heap ever used, for benchmarks: pages from memory.grow arrive
 * zeroed and the allocator hands memory out bottom-up, so everything above the last
 * nonzero byte has never been touched. Unlike wasmHeapBytes it leaves out the 20%
 * headroom each grow adds. */
export function wasmHeapHighWater(): number {
  if (!wasmMemory) return 0;
  const words = new Uint32Array(wasmMemory.buffer);
  let i = words.length - 1;
  while (i >= 0 && words[i] === 0) i--;
  return (i + 1) * 4;
}

async function webgpuAvailable(): Promise<boolean> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) != null;
  } catch {
    return false;
  }
}

/** A one-node graph (Identity on one float) whose session only starts the runtime. */
const STARTER = encodeModel({
  irVersion: 8,
  producerName: 'chimera',
  opsetImports: [{ domain: '', version: 17 }],
  graph: {
    name: 'starter',
    nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'], name: 'identity' }],
    initializers: [],
    inputs: [{ name: 'x', elemType: DataType.FLOAT, shape: [1] }],
    outputs: [{ name: 'y', elemType: DataType.FLOAT, shape: [1] }],
  },
});

/** Starts ORT's WebAssembly runtime before a model needs it, so that a cold request's
 * storage reads and the runtime's start overlap instead of following each other; given a
 * model, also creates and runs it once (models/warm-up.ts). */
export async function warmUp(model?: { graph: Uint8Array; feeds: Record<string, TensorData> }): Promise<void> {
  if (initialized) return initialized;
  const session = await createSession(model?.graph ?? STARTER);
  if (model) await session.run(model.feeds);
  await session.release();
}

export interface CreateOptions {
  externalData?: { path: string; data: Uint8Array }[];
  /** use WebGPU when the runtime offers an adapter (default false: WASM) */
  allowWebGPU?: boolean;
}

export async function createSession(graph: Uint8Array, options: CreateOptions = {}): Promise<Session> {
  const backend: BackendName = options.allowWebGPU && (await webgpuAvailable()) ? 'webgpu' : 'wasm';
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: [backend],
    graphOptimizationLevel: 'all',
    ...(options.externalData ? { externalData: options.externalData } : {}),
  };
  const before = wasmHeapBytes();
  const create = () => ort.InferenceSession.create(graph, sessionOptions);
  let session: ort.InferenceSession;
  if (!initialized) {
    const first = withInstantiateHook(create);
    initialized = first.then(() => undefined);
    initialized.catch(() => (initialized = undefined)); // a failed boot may be retried
    session = await first;
  } else {
    await initialized;
    session = await create();
  }
  const heapGrowth = wasmHeapBytes() - (before || heapAtBoot);
  return {
    backend,
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    heapGrowth,
    async run(feeds, outputs) {
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(t.type, t.data, t.dims);
      const result = outputs ? await session.run(ortFeeds, outputs) : await session.run(ortFeeds);
      const out: Record<string, TensorData> = {};
      for (const [name, t] of Object.entries(result)) {
        const data = backend === 'webgpu' ? await t.getData(true) : t.data;
        out[name] = { type: t.type as TensorType, data: data as TensorArray, dims: t.dims };
      }
      return out;
    },
    release: () => session.release(),
  };
}

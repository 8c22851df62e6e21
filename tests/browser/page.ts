// Browser entry for webgpu.test.ts: bundled by esbuild with the `browser` condition, so
// models/backend.ts gets ORT's WebGPU build, exactly as a browser app would.
import { configureBackend, createSession, type TensorData } from '../../models/backend.ts';
import { fixturePackage } from '../../models/multitask/fixture.ts';
import { textEncoder } from '../../models/text/index.ts';

export interface RunResult {
  backend: string;
  ms: number;
  outputs: Record<string, { dims: number[]; data: number[] }>;
}
export interface PageResult {
  adapter: string | null;
  fp32: { webgpu: RunResult; wasm: RunResult };
  int8Wasm: RunResult;
}

const TEXTS = ['the match ended in a draw', 'shares fell sharply after the report', 'I loved it', ''];

async function runOnce(int8: boolean, allowWebGPU: boolean): Promise<RunResult> {
  const start = performance.now();
  const { manifest, files } = await fixturePackage({ name: 'webgpu-fixture', seed: 7, int8 });
  if (manifest.input.kind !== 'text') throw new Error('fixture is expected to take text');
  const externalData = Object.entries(files)
    .filter(([path]) => path !== 'model.onnx')
    .map(([path, data]) => ({ path, data }));
  const session = await createSession(files['model.onnx']!, { externalData, allowWebGPU });
  try {
    const out = await session.run(textEncoder(manifest.input)(TEXTS).feeds);
    // plain arrays: page.evaluate can only return JSON-like values
    const plain = (t: TensorData) => ({ dims: [...t.dims], data: Array.from(t.data as Float32Array) });
    const outputs = Object.fromEntries(Object.entries(out).map(([k, t]) => [k, plain(t)]));
    return { backend: session.backend, ms: Math.round(performance.now() - start), outputs };
  } finally {
    await session.release();
  }
}

// TypeScript's DOM lib has no WebGPU types yet: just the part we read
interface Gpu {
  requestAdapter(): Promise<{ info: { vendor: string; architecture: string; description: string } } | null>;
}

async function adapterInfo(): Promise<string | null> {
  const adapter = await (navigator as Navigator & { gpu?: Gpu }).gpu?.requestAdapter();
  if (!adapter) return null;
  const { vendor, architecture, description } = adapter.info;
  return [vendor, architecture, description].filter(Boolean).join(' / ') || 'unnamed adapter';
}

(globalThis as { runComparison?: (wasmPaths: string) => Promise<PageResult> }).runComparison = async (wasmPaths) => {
  configureBackend({ wasmPaths });
  const adapter = await adapterInfo();
  const webgpu = await runOnce(false, true);
  const wasm = await runOnce(false, false);
  // the int8 graph (DynamicQuantizeLinear/MatMulInteger) is a WASM-only path: checked for sanity only
  const int8Wasm = await runOnce(true, false);
  return { adapter, fp32: { webgpu, wasm }, int8Wasm };
};

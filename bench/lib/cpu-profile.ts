// Reading a V8 CPU profile (the sampling profiler's, from Node's inspector or from
// workerd's through wrangler): self time by where the code lives and by function, in ms
// per request. bench/profile.ts and bench/profile-workerd.ts each say how a frame's source
// is found (a file URL in Node, a bundle line's module in workerd).

export interface CallFrame {
  functionName: string;
  url: string;
  scriptId: string;
  lineNumber: number;
}
export interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export type Places = readonly (readonly [RegExp, string])[];
const IDLE = 'idle or native';
const SHARED: Places = [
  // ORT's JavaScript, and its WebAssembly (the only WebAssembly Chimera runs)
  [/onnxruntime-web|^wasm:\/\//, 'onnxruntime-web (session.run)'],
  [/node_modules\/zod/, 'zod'],
  [/node_modules\/@?hono/, 'hono'],
  [/node_modules\/drizzle-orm/, 'drizzle-orm'],
  [/node_modules\/@huggingface/, 'tokenizers'],
  [/(^|\/)functions\/http\//, 'functions/http'],
  [/(^|\/)functions\/domain\//, 'functions/domain'],
  [/(^|\/)functions\/infra\//, 'functions/infra'],
  [/(^|\/)functions\//, 'functions/'],
  [/(^|\/)models\//, 'models/'],
  [/(^|\/)schemas\//, 'schemas/'],
];

/** Where code from `source` lives ('' for V8's own frames); `first` is tried before the shared places. */
export function placeOf(source: string, functionName: string, first: Places = []): string {
  if (!source)
    return functionName === '(garbage collector)' ? 'GC' : functionName === '(program)' || functionName === '(idle)' ? IDLE : 'V8 builtins';
  for (const [pattern, name] of [...first, ...SHARED]) if (pattern.test(source)) return name;
  return `other (${source})`;
}

const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
const perRequest = (ms: number, requests: number) => +(ms / requests).toFixed(4);

/** Self time by place and the `top` hottest functions, per request; busy: all but idle. */
export function selfTime(
  profile: CpuProfile,
  requests: number,
  where: (f: CallFrame) => string,
  label: (f: CallFrame) => string,
  top = 25,
) {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [i, id] of profile.samples.entries()) {
    const f = frames.get(id)!;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    add(byPlace, where(f), ms);
    add(byFunction, label(f), ms);
  }
  const busyMs = [...byPlace].filter(([k]) => k !== IDLE).reduce((s, [, v]) => s + v, 0);
  const selfTimeByPlace = [...byPlace]
    .sort((a, b) => b[1] - a[1])
    .map(([place, ms]) => ({
      where: place,
      'ms per request': perRequest(ms, requests),
      '% of busy': place === IDLE ? '' : +((100 * ms) / busyMs).toFixed(1),
    }));
  const hottest = [...byFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, ms]) => ({ fn, 'ms per request': perRequest(ms, requests) }));
  return { busyMs, selfTimeByPlace, hottest };
}

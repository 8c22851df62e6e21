// `npm run bench:report`: the benchmark results (bench/results/*.json) as one HTML page
// of charts, drawn with Vega-Lite to SVG in Node, in bench/report/index.html. Each chart
// shows a figure beside the baseline measured in the same run.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as vega from 'vega';
import * as vl from 'vega-lite';

const read = <T>(name: string): T | undefined => {
  const path = `bench/results/${name}.json`;
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
};

type Row = Record<string, string | number>;
async function chart(title: string, values: Row[], encoding: object, mark: object | string = 'bar', extra: object = {}): Promise<string> {
  const spec = vl.compile({ title, width: 420, height: 220, data: { values }, mark, encoding, ...extra } as vl.TopLevelSpec).spec;
  return new vega.View(vega.parse(spec), { renderer: 'none' }).toSVG();
}
const grouped = (x: string, y: string, series: string, yTitle: string) => ({
  // data order, not alphabetical (concurrency 1, 8, 32), labels level
  x: { field: x, type: 'nominal', title: x, sort: null, axis: { labelAngle: 0 } },
  xOffset: { field: series, sort: null },
  y: { field: y, type: 'quantitative', title: yTitle },
  color: { field: series, type: 'nominal', title: null, sort: null, legend: { labelLimit: 320, orient: 'bottom', columns: 2 } },
  tooltip: [{ field: y, type: 'quantitative', format: '.1f' }],
});

interface Point {
  concurrency: number;
  reqPerSec: number;
  latency: { p50: number; p99: number };
}
interface Cold {
  wallMs: number;
  loadMs: number | null;
  phases?: Record<string, number>;
}
const throughput = read<{
  points: { healthz: Point[]; infer: Point[]; inferCached?: Point[] };
  coldStart: { fromR2: Cold; fromCache: Cold; secondModelFromCache?: Cold };
}>('throughput');
type Profile = { selfTimeByPlace: { where: string; 'ms per request': number }[] };
const profiles = { '/infer': read<Profile>('profile-workerd'), '/healthz': read<Profile>('profile-workerd-healthz') };
const minilm = read<{
  nativeMs: Record<string, { p50: number }>;
  wasmMs: Record<string, { p50: number }>;
  workerRunMs: Record<string, { p50: number }>;
}>('minilm');
const microbatch = read<{
  points: { tokens: number; off: { itemsPerSec: number; p99: number }; on: { itemsPerSec: number; p99: number } }[];
}>('microbatch');

const sections: string[] = [];
if (throughput) {
  const { healthz, infer, inferCached = [] } = throughput.points;
  const both = [
    ...healthz.map((p) => ({ ...p, route: '/healthz' })),
    ...infer.map((p) => ({ ...p, route: '/infer' })),
    ...inferCached.map((p) => ({ ...p, route: '/infer, cached answer' })),
  ];
  sections.push(
    await chart(
      'Requests per second by concurrency',
      both.map((p) => ({ concurrency: String(p.concurrency), route: p.route, 'req/s': p.reqPerSec })),
      grouped('concurrency', 'req/s', 'route', 'requests / s'),
    ),
    await chart(
      'Latency by concurrency (p50 and p99)',
      both.flatMap((p) => [
        { concurrency: String(p.concurrency), series: `${p.route} p50`, ms: p.latency.p50 },
        { concurrency: String(p.concurrency), series: `${p.route} p99`, ms: p.latency.p99 },
      ]),
      grouped('concurrency', 'ms', 'series', 'ms'),
    ),
    await chart(
      'First request of a fresh isolate',
      (
        [
          ['fromR2', 'new isolate, R2'],
          ['fromCache', 'new isolate, Cache API'],
          ['secondModelFromCache', '2nd model, Cache API'],
        ] as const
      ).flatMap(([k, path]) => {
        const cold = throughput.coldStart[k];
        if (!cold) return [];
        const p = cold.phases ?? {};
        const parts: [string, number][] = p.load
          ? [
              ['load: read and check the files', p['load-read'] ?? 0],
              ['load: create the ORT session', p['load-session'] ?? 0],
              ['load: warm-up runs', p['load-warm'] ?? 0],
            ]
          : [['model load (load_ms)', cold.loadMs ?? 0]];
        const load = parts.reduce((sum, [, ms]) => sum + ms, 0);
        return [...parts, ['rest of the request', cold.wallMs - load] as [string, number]].map(([part, ms]) => ({ path, part, ms }));
      }),
      {
        x: { field: 'path', type: 'nominal', title: null, sort: null, axis: { labelAngle: 0 } },
        y: { field: 'ms', type: 'quantitative', stack: true },
        color: { field: 'part', type: 'nominal', title: null, legend: { labelLimit: 320, orient: 'bottom' } },
      },
    ),
  );
}
if (profiles['/infer'] && profiles['/healthz']) {
  sections.push(
    await chart(
      "Where a warm request's CPU goes inside workerd (self time, ms per request, bench:profile-workerd)",
      Object.entries(profiles).flatMap(([route, p]) =>
        p!.selfTimeByPlace.filter((r) => r.where !== 'idle or native').map((r) => ({ route, where: r.where, ms: r['ms per request'] })),
      ),
      {
        x: { field: 'route', type: 'nominal', title: null, axis: { labelAngle: 0 } },
        y: { field: 'ms', type: 'quantitative', stack: true, title: 'ms per request' },
        color: {
          field: 'where',
          type: 'nominal',
          title: null,
          scale: { scheme: 'tableau20' },
          legend: { labelLimit: 320, orient: 'right' },
        },
      },
    ),
  );
}
if (minilm) {
  const rows = Object.keys(minilm.nativeMs).flatMap((point) => {
    const [tokens, batch] = point.split(' tokens × ');
    const items = Number(batch);
    return [
      { point: `${tokens}×${batch}`, runtime: 'onnxruntime-node (native)', 'items/s': (1000 * items) / minilm.nativeMs[point]!.p50 },
      { point: `${tokens}×${batch}`, runtime: 'ORT-web WASM in Node', 'items/s': (1000 * items) / minilm.wasmMs[point]!.p50 },
      { point: `${tokens}×${batch}`, runtime: 'the Worker (wrangler dev)', 'items/s': (1000 * items) / minilm.workerRunMs[point]!.p50 },
    ];
  });
  sections.push(
    await chart(
      'MiniLM-shaped int8: items/s by tokens × batch size (model time, p50)',
      rows,
      grouped('point', 'items/s', 'runtime', 'items / s'),
    ),
  );
}
if (microbatch) {
  sections.push(
    await chart(
      'Micro-batching at concurrency 32: items/s',
      microbatch.points.flatMap((p) => [
        { tokens: `${p.tokens} tokens`, batching: 'off', 'items/s': p.off.itemsPerSec },
        { tokens: `${p.tokens} tokens`, batching: 'on', 'items/s': p.on.itemsPerSec },
      ]),
      grouped('tokens', 'items/s', 'batching', 'items / s'),
    ),
  );
}

mkdirSync('bench/report', { recursive: true });
const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Chimera benchmarks</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2rem auto;padding:0 1rem}figure{display:inline-block;margin:1rem}</style></head>
<body><h1>Chimera benchmarks</h1>
<p>Drawn by <code>npm run bench:report</code> from <code>bench/results/*.json</code>; each benchmark measures its baseline in the same run. See the README's Benchmarks section for how each was run.</p>
${sections.map((svg) => `<figure>${svg}</figure>`).join('\n')}
</body></html>
`;
writeFileSync('bench/report/index.html', html);
console.log(`wrote bench/report/index.html (${sections.length} charts)`);

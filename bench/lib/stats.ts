// Percentiles, a printed table and a JSON result file: what every benchmark reports.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';

export interface Summary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

export function summarize(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return {
    n: s.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    mean: s.reduce((a, b) => a + b, 0) / s.length,
    min: s[0]!,
    max: s[s.length - 1]!,
  };
}

export function printTable(title: string, rows: Record<string, Summary>, unit = 'ms'): void {
  console.log(`\n${title} (${unit})`);
  console.table(
    Object.fromEntries(
      Object.entries(rows).map(([k, v]) => [
        k,
        { n: v.n, p50: +v.p50.toFixed(3), p90: +v.p90.toFixed(3), p99: +v.p99.toFixed(3), mean: +v.mean.toFixed(3) },
      ]),
    ),
  );
}

export function writeResult(name: string, result: Record<string, unknown>): string {
  mkdirSync('bench/results', { recursive: true });
  const path = `bench/results/${name}.json`;
  writeFileSync(
    path,
    JSON.stringify(
      {
        benchmark: name,
        at: new Date().toISOString(),
        machine: {
          cpus: os.cpus().length,
          cpu: os.cpus()[0]?.model,
          memoryGiB: Math.round(os.totalmem() / 2 ** 30),
          node: process.version,
        },
        ...result,
      },
      null,
      2,
    ),
  );
  return path;
}

export async function timeIt(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

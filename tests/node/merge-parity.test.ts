// Parity with mergekit: every case in tests/fixtures/mergekit/<method>.json was computed
// by mergekit's own code (GTATask, LinearMergeTask) at commit
// a6e402884ba9bc30da7f23e8304a35f19485de95 of https://github.com/arcee-ai/mergekit, by
// tools/fixtures/mergekit.py. Cases where Chimera departs from mergekit on purpose
// (docs/merging.md, "Parity with mergekit") carry mergekit's own answer beside the
// expected one. DARE's cases hand mergekit Chimera's random mask, so the whole output
// is comparable; DARE's definition is tested apart, below.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ExpertStats, type MergeMethod, type MergeParams, mergeTensor, resolveParams } from '../../models/merge/methods.ts';
import { randomKeeps } from '../../models/merge/sparsify.ts';
import { chunkedStats } from '../../models/merge/stats.ts';
import { MERGEKIT_METHODS } from '../../schemas/merge-methods.ts';

const MERGEKIT_COMMIT = 'a6e402884ba9bc30da7f23e8304a35f19485de95';
const DIR = join(import.meta.dirname, '../fixtures/mergekit');

interface Case {
  tensor: string;
  note: string;
  base: number[];
  experts: number[][];
  weights: number[];
  parameters: Omit<MergeParams, 'weights'>;
  expected: number[];
  dare_kept?: number[][];
  mergekit_output?: number[];
  mergekit_error?: string;
}
interface Fixture {
  mergekit: { commit: string };
  method: MergeMethod;
  cases: Case[];
}
const fixtures: Fixture[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')));

const f32 = (xs: number[]) => Float32Array.from(xs);
const paramsOf = (c: Case): MergeParams => ({ ...c.parameters, weights: c.weights });
const whole = (method: MergeMethod, c: Case) => mergeTensor(method, f32(c.base), c.experts.map(f32), paramsOf(c), c.tensor);
const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Within 1e-6 of the tensor's scale. Only DARE's cases differ at all: its L1 rescale
 * factor sums |delta| in float64 here and in float32, in torch's order, in mergekit. */
function expectClose(got: Float32Array, want: number[]) {
  expect(got.length).toBe(want.length);
  const tolerance = 1e-6 * Math.max(1, ...want.map(Math.abs));
  for (const [j, w] of want.entries()) expect(Math.abs(got[j]! - w), `value ${j}`).toBeLessThanOrEqual(tolerance);
}

/** The merge as models/merge/stream.ts runs it in blocks of `block` values. */
async function chunked(method: MergeMethod, c: Case, block: number): Promise<Float32Array> {
  const n = c.base.length;
  const base = f32(c.base);
  const experts = c.experts.map(f32);
  const offsets = Array.from({ length: Math.ceil(n / block) }, (_, b) => b * block);
  const r = resolveParams(method, paramsOf(c), experts.length);
  const stats: (ExpertStats[] | undefined)[] = [];
  for (const [i, e] of experts.entries()) {
    const read = async (b: number) => e.slice(offsets[b], offsets[b]! + block).map((x, j) => x - base[offsets[b]! + j]!);
    stats.push(await chunkedStats(r, c.tensor, i, { n, offsets, read }));
  }
  const out = new Float32Array(n);
  for (const [b, o] of offsets.entries()) {
    const part = (x: Float32Array) => x.slice(o, o + block);
    const blockStats = stats.some(Boolean) ? stats.map((s) => s?.[b] ?? {}) : undefined;
    out.set(mergeTensor(method, part(base), experts.map(part), paramsOf(c), c.tensor, { offset: o, stats: blockStats }), o);
  }
  return out;
}

it('has a fixture for every method mergekit has, all from the same mergekit commit', () => {
  expect(fixtures.map((f) => f.method).sort()).toEqual([...MERGEKIT_METHODS].sort());
  for (const f of fixtures) expect(f.mergekit.commit).toBe(MERGEKIT_COMMIT);
});

for (const fixture of fixtures) {
  describe(`${fixture.method} matches mergekit`, () => {
    for (const c of fixture.cases) {
      const differs = c.mergekit_error ?? (c.mergekit_output && 'mergekit keeps nothing');
      it(`${c.tensor.slice(fixture.method.length + 1)}: ${c.note}${differs ? ` (deliberate difference; ${differs})` : ''}`, async () => {
        if (c.dare_kept) {
          // the generator gave mergekit the mask Chimera draws for this tensor and expert
          c.dare_kept.forEach((kept, i) => {
            const keeps = randomKeeps(c.parameters.density!, c.parameters.seed ?? 0, c.tensor, i, 0);
            expect(c.base.flatMap((_, j) => (keeps() ? [j] : []))).toEqual(kept);
          });
        }
        const got = whole(fixture.method, c);
        expectClose(got, c.expected);
        if (c.mergekit_output) expect(c.mergekit_output).not.toEqual(c.expected);
        // in blocks, with trims, tie counts and rescale factors found beforehand
        for (const block of [1, 2, 3]) expect(bytes(await chunked(fixture.method, c, block))).toEqual(bytes(got));
      });
    }
  });
}

describe('DARE by its definition', () => {
  const n = 200_000;
  const base = Float32Array.from({ length: n }, (_, j) => Math.sin(j));
  const expert = Float32Array.from({ length: n }, (_, j) => Math.sin(j) + Math.cos(3 * j) * (1 + (j % 7)));
  const delta = expert.map((x, j) => x - base[j]!);
  for (const density of [0.1, 0.5, 0.9]) {
    it(`keeps about ${density} of the values, each scaled by one factor near 1/density`, () => {
      const merged = mergeTensor('dare_linear', base, [expert.slice()], { density, seed: 11 }, 'w');
      const kept: number[] = [];
      for (let j = 0; j < n; j++) if (merged[j] !== base[j]) kept.push(j);
      expect(Math.abs(kept.length / n - density)).toBeLessThan(0.01);
      const factors = kept.filter((j) => Math.abs(delta[j]!) > 0.5).map((j) => (merged[j]! - base[j]!) / delta[j]!);
      const factor = factors[0]!;
      for (const f of factors) expect(Math.abs(f - factor)).toBeLessThan(1e-4 * factor);
      // mergekit rescales to the task vector's L1 norm; over a large tensor that is ≈ 1/density
      expect(Math.abs(factor * density - 1)).toBeLessThan(0.02);
    });
  }
  it('at density 1 equals task arithmetic (dare_linear) and TIES without normalising (dare_ties)', () => {
    const experts = [expert, expert.map((x, j) => x - 2 * Math.cos(j))];
    const copies = () => experts.map((e) => e.slice());
    const params = { density: 1, lambda: 0.7, weights: [1, 0.5] };
    expect(bytes(mergeTensor('dare_linear', base, copies(), params, 'w'))).toEqual(
      bytes(mergeTensor('task_arithmetic', base, copies(), params, 'w')),
    );
    expect(bytes(mergeTensor('dare_ties', base, copies(), params, 'w'))).toEqual(
      bytes(mergeTensor('ties', base, copies(), { ...params, normalize: false }, 'w')),
    );
  });
  it('draws the same mask for the same seed and another for another seed', () => {
    const run = (seed: number) => mergeTensor('dare_ties', base, [expert.slice()], { density: 0.5, seed }, 'w');
    expect(bytes(run(3))).toEqual(bytes(run(3)));
    expect(bytes(run(3))).not.toEqual(bytes(run(4)));
  });
});

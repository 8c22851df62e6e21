// The overlap report as lines of text for a terminal: one row per pair of splits that
// overlap (the clean ones counted in one line), then a few examples of each pair.
import { OVERLAP_KINDS, type OverlapReport, type PairOverlap } from './overlap.ts';

const count = (n: number, of: number) => (n === 0 || of === 0 ? String(n) : `${n} (${((100 * n) / of).toFixed(1)}%)`);
const clip = (s: string, width = 110) => (s.length > width ? `${s.slice(0, width - 1)}…` : s);

export function formatOverlap(report: OverlapReport, opts: { examples?: number } = {}): string[] {
  const dirty = report.pairs.filter((p) => p.exact + p.near + p.contained > 0);
  const lines = [
    `overlap of ${new Set(report.pairs.map((p) => p.eval)).size} eval split(s) with ${new Set(report.pairs.map((p) => p.train)).size} train split(s): ` +
      `exact after normalisation, near at word Jaccard ≥ ${report.threshold}, contained = whole inside a longer train text (≥ ${report.minContainedWords} words)`,
  ];
  if (dirty.length > 0) {
    const header = ['train', 'eval', 'eval rows', ...OVERLAP_KINDS];
    const rows = dirty.map((p) => [p.train, p.eval, String(p.evalRows), ...OVERLAP_KINDS.map((k) => count(p[k], p.evalRows))]);
    lines.push(...table([header, ...rows]));
  }
  const clean = report.pairs.length - dirty.length;
  lines.push(
    dirty.length === 0
      ? `  all ${report.pairs.length} pairs clean`
      : `  ${clean} other pair(s) clean; eval rows overlapping: exact ${report.totals.exact}, near ${report.totals.near}, contained ${report.totals.contained} (summed over pairs)`,
  );
  if ((opts.examples ?? 3) > 0) for (const p of dirty) lines.push(...examples(p, opts.examples ?? 3));
  return lines;
}

function examples(p: PairOverlap, max: number): string[] {
  const lines = [`\n${p.train} × ${p.eval}`];
  for (const kind of OVERLAP_KINDS)
    for (const x of p.examples[kind].slice(0, max)) {
      lines.push(`  ${kind.padEnd(9)} eval:  ${clip(x.eval)}`);
      if (x.train !== x.eval) lines.push(`  ${`J=${x.jaccard.toFixed(2)}`.padEnd(9)} train: ${clip(x.train)}`);
    }
  return lines;
}

/** split names left-aligned, counts right-aligned */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => `  ${r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}`);
}

// A grouped bar chart as a standalone SVG string, for docs/merging.md: one group per task
// (and the mean), one bar per series (merge method). Written here rather than pulled in
// from a plotting library: it is one chart, deterministic byte for byte (so a rerun of
// the report changes the file only when a number changes), and needs no fonts measured.

export interface ChartSpec {
  title: string;
  groups: string[];
  series: { name: string; values: number[] }[];
  yLabel: string;
  /** dashed horizontal lines, e.g. the 100% of the experts and a target */
  refLines?: { value: number; label: string }[];
}

// Tableau 10: distinct at a glance and for the commonest colour blindness
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (x: number) => (Math.round(x * 10) / 10).toString();

/** Round the axis to whole steps around the data and the reference lines. */
function axis(values: number[]): { lo: number; hi: number; step: number } {
  const lo0 = Math.min(...values),
    hi0 = Math.max(...values);
  const step = hi0 - lo0 > 12 ? 5 : hi0 - lo0 > 5 ? 2 : 1;
  return { lo: Math.floor((lo0 - step / 2) / step) * step, hi: Math.ceil((hi0 + step / 2) / step) * step, step };
}

export function groupedBarsSvg(c: ChartSpec): string {
  const width = 860,
    height = 420,
    left = 56,
    right = 180,
    top = 40,
    bottom = 48;
  const plotW = width - left - right,
    plotH = height - top - bottom;
  const all = [...c.series.flatMap((s) => s.values), ...(c.refLines ?? []).map((r) => r.value)];
  const { lo, hi, step } = axis(all);
  const y = (v: number) => top + plotH - ((v - lo) / (hi - lo)) * plotH;
  const groupW = plotW / c.groups.length;
  const barW = (groupW * 0.8) / c.series.length;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12" role="img">`,
    `<title>${esc(c.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="22" font-size="15" font-weight="bold">${esc(c.title)}</text>`,
  ];
  for (let v = lo; v <= hi + 1e-9; v += step) {
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#555">${fmt(v)}</text>`);
  }
  out.push(`<text transform="translate(16 ${top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#333">${esc(c.yLabel)}</text>`);
  c.groups.forEach((g, gi) => {
    const x0 = left + gi * groupW + groupW * 0.1;
    c.series.forEach((s, si) => {
      const v = s.values[gi]!;
      const x = x0 + si * barW,
        top1 = Math.min(y(v), y(lo)),
        h = Math.abs(y(lo) - y(v));
      out.push(
        `<rect x="${x.toFixed(1)}" y="${top1.toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${PALETTE[si % PALETTE.length]}"><title>${esc(`${s.name}, ${g}: ${fmt(v)}`)}</title></rect>`,
      );
    });
    out.push(`<text x="${(left + gi * groupW + groupW / 2).toFixed(1)}" y="${top + plotH + 18}" text-anchor="middle">${esc(g)}</text>`);
  });
  for (const r of c.refLines ?? []) {
    const ry = y(r.value).toFixed(1);
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${ry}" y2="${ry}" stroke="#333" stroke-dasharray="5 4"/>`);
    out.push(
      `<text x="${left + plotW - 4}" y="${(y(r.value) - 4).toFixed(1)}" text-anchor="end" fill="#333" stroke="#fff" stroke-width="3" paint-order="stroke">${esc(r.label)}</text>`,
    );
  }
  out.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#333"/>`);
  c.series.forEach((s, si) => {
    const ly = top + 40 + si * 18;
    out.push(`<rect x="${left + plotW + 14}" y="${ly - 10}" width="12" height="12" fill="${PALETTE[si % PALETTE.length]}"/>`);
    out.push(`<text x="${left + plotW + 32}" y="${ly}">${esc(s.name)}</text>`);
  });
  out.push(
    `<text x="${left}" y="${height - 10}" fill="#777" font-size="11">The axis starts at ${fmt(lo)}, not 0: the differences are a few points.</text>`,
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

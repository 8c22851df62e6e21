// A bar chart drawn by uPlot (canvas); a second series is drawn over the first, narrower. The canvas is hidden from screen readers: every
// chart sits beside a table of the same numbers, and its caption says what it shows.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  values: number[];
  color: string;
}

interface Props {
  title: string;
  /** one label per bar group: days (YYYY-MM-DD) or keys */
  keys: string[];
  series: Series[];
  format?: (v: number) => string;
}

const HEIGHT = 180;

export function BarChart({ title, keys, series, format = (v) => String(v) }: Props) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = keys.map((_, i) => i);
    const n = series.length;
    const style = getComputedStyle(el);
    const ink = style.getPropertyValue('--muted').trim() || '#666';
    const grid = style.getPropertyValue('--line').trim() || '#ddd';
    const axis = { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const plot = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height: HEIGHT,
        legend: { show: n > 1, live: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.5, keys.length - 0.5] } },
        axes: [
          {
            ...axis,
            // as many labels as fit, about 56 px apart; the table has every one
            splits: (u) => {
              const step = Math.max(1, Math.ceil(keys.length / Math.max(1, Math.floor(u.bbox.width / devicePixelRatio / 56))));
              return xs.filter((i) => i % step === 0);
            },
            values: (_u, splits) => splits.map((i) => keys[i] ?? ''),
            size: 36,
          },
          {
            ...axis,
            values: (_u, splits) => splits.map(format),
            size: (_u, values) => 16 + 7.5 * Math.max(3, ...(values ?? []).map((v) => String(v).length)),
          },
        ],
        series: [
          {},
          ...series.map((s, i) => ({
            label: s.label,
            stroke: s.color,
            fill: `${s.color}cc`,
            width: 0,
            // later series are drawn over earlier ones at the same place: give the larger first
            // (requests, then errors; p99, then p50)
            paths: uPlot.paths.bars!({ size: [0.7 - 0.25 * i, 64] }),
            points: { show: false },
          })),
        ],
      },
      [xs, ...series.map((s) => s.values)],
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [keys.join('\u0000'), series.map((s) => `${s.label}:${s.values.join(',')}`).join('|')]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} class="chart-box" aria-hidden="true" />
    </figure>
  );
}

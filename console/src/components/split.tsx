// An alias's traffic split drawn as one bar: a segment per target, sized by its weight.
// The percentages are in the text too (the bar is for the eye; the list is for everyone).
import { percent } from '../format.ts';

export interface Target {
  version: number;
  weight: number;
}

const HUES = [212, 28, 142, 280, 350, 52, 188, 95, 320, 0];

export function Split({ targets, label }: { targets: Target[]; label: string }) {
  const total = targets.reduce((s, t) => s + Math.max(0, t.weight), 0);
  const parts = targets.map((t, i) => ({ ...t, share: total > 0 && t.weight > 0 ? t.weight / total : 0, hue: HUES[i % HUES.length]! }));
  const text = parts.map((p) => `v${p.version} ${percent(p.share)}`).join(', ');
  return (
    <div class="split">
      <div class="split-bar" role="img" aria-label={`${label}: ${text || 'no traffic'}`}>
        {parts.map((p) =>
          p.share > 0 ? (
            <span key={p.version} class="split-part" style={{ flexGrow: p.share, background: `hsl(${p.hue} 70% 45%)` }}>
              {p.share >= 0.12 ? `v${p.version}` : ''}
            </span>
          ) : null,
        )}
      </div>
      <p class="split-legend" aria-hidden="true">
        {parts.map((p) => (
          <span key={p.version}>
            <i style={{ background: `hsl(${p.hue} 70% 45%)` }} /> v{p.version} {percent(p.share)}
          </span>
        ))}
      </p>
    </div>
  );
}

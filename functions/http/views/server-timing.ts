// A cold start's breakdown as a Server-Timing header (browsers' devtools draw it; the
// cold-start bench reads it): where the model's load time went, in milliseconds.
interface Load {
  loadMs: number;
  loadPhases: { readMs: number; sessionMs: number; warmMs: number };
}

export const loadServerTiming = ({ loadMs, loadPhases: p }: Load): string =>
  [
    ['load', loadMs],
    ['load-read', p.readMs],
    ['load-session', p.sessionMs],
    ['load-warm', p.warmMs],
  ]
    .map(([name, ms]) => `${name};dur=${(ms as number).toFixed(1)}`)
    .join(', ');

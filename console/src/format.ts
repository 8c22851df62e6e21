// How numbers, sizes and instants read in the console.
const nf = new Intl.NumberFormat('en');

export const count = (n: number) => nf.format(n);

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export const ms = (n: number | null | undefined) =>
  n == null ? '—' : n < 10 ? `${n.toFixed(2)} ms` : n < 1000 ? `${n.toFixed(1)} ms` : `${(n / 1000).toFixed(2)} s`;

export const when = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '—';

export const percent = (x: number) => `${(x * 100).toFixed(x >= 0.1 || x === 0 ? 0 : 1)}%`;

export const score = (x: number) => x.toFixed(4);

/** The first characters of an id or hash, for tables (the whole one is in the title). */
export const short = (id: string, n = 8) => (id.length > n + 1 ? `${id.slice(0, n)}…` : id);

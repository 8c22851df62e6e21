// Progress bars for long CLI work (quiet when stdout is not a terminal or --json is on).
import cliProgress from 'cli-progress';

export function progressBar(label: string, total: number, quiet = false) {
  if (quiet || !process.stderr.isTTY) {
    return { update: (_v: number, _p?: object) => {}, stop: () => {} };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(22)} [{bar}] {percentage}% | {value}/{total} {extra}`,
      hideCursor: true,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { extra: '' });
  return { update: (v: number, payload?: object) => bar.update(v, payload), stop: () => bar.stop() };
}

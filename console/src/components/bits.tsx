// Small shared pieces: a status badge, a horizontally scrollable table region, a copy
// button, a definition list of facts, a version picker.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

const TONES: Record<string, string> = {
  completed: 'ok',
  succeeded: 'ok',
  delivered: 'ok',
  running: 'busy',
  validating: 'busy',
  queued: 'busy',
  pending: 'busy',
  failed: 'bad',
  failing: 'bad',
  expired: 'bad',
  cancelled: 'quiet',
};

export const Status = ({ status }: { status: string }) => <span class={`badge badge-${TONES[status] ?? 'quiet'}`}>{status}</span>;

/** Wide tables scroll inside their own region (focusable, so the keyboard can scroll it). */
export const TableWrap = ({ label, children }: { label: string; children: ComponentChildren }) => (
  // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to be scrolled by keyboard
  <section class="table-wrap" aria-label={label} tabIndex={0}>
    {children}
  </section>
);

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      class="secondary"
      onClick={async () => {
        await navigator.clipboard?.writeText(text).catch(() => undefined);
        setDone(true);
        setTimeout(() => setDone(false), 1500);
      }}
    >
      {done ? 'Copied' : label}
    </button>
  );
}

export const Facts = ({ items }: { items: [string, ComponentChildren][] }) => (
  <dl class="facts">
    {items.map(([k, v]) => (
      <div key={k}>
        <dt>{k}</dt>
        <dd>{v}</dd>
      </div>
    ))}
  </dl>
);

/** A labelled choice of one of a model's versions. */
export const VersionSelect = ({
  id,
  label = 'Version',
  versions,
  value,
  onChange,
}: {
  id: string;
  label?: string;
  versions: number[];
  value: number | undefined;
  onChange: (version: number) => void;
}) => (
  <div>
    <label for={id}>{label}</label>
    <select id={id} value={value} onChange={(e) => onChange(Number(e.currentTarget.value))}>
      {versions.map((v) => (
        <option key={v} value={v}>
          v{v}
        </option>
      ))}
    </select>
  </div>
);

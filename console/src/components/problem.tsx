// An API error as the user should read it: the problem's title and detail, each invalid
// field, and the request id to quote. Announced to screen readers (role=alert).
import { ChimeraError } from '@chimera/client';

export function Problem({ error, action }: { error: unknown; action?: string }) {
  if (!error) return null;
  const e = error instanceof ChimeraError ? error : undefined;
  const title = e?.problem?.title ?? (e ? `HTTP ${e.status}` : 'Something went wrong');
  const detail = e ? e.detail : error instanceof Error ? error.message : String(error);
  return (
    <div class="problem" role="alert">
      <p>
        <strong>
          {action ? `${action} failed: ` : ''}
          {title}.
        </strong>{' '}
        {detail}
      </p>
      {e?.errors.length ? (
        <ul>
          {e.errors.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code>: {f.message}
            </li>
          ))}
        </ul>
      ) : null}
      {e?.requestId ? <p class="muted">Request id {e.requestId}</p> : null}
    </div>
  );
}

/** A page's loading line, announced politely. */
export const Loading = ({ what }: { what: string }) => (
  <p class="muted" role="status">
    Loading {what}…
  </p>
);

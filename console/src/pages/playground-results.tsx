// The playground's answers side by side: each run's version, backend and latencies, then
// one row per input and task with the edge's and the browser's label and score, and the
// largest difference between any of their numbers.
import type { BrowserInferResponse } from '@chimera/client/browser';
import { Facts, TableWrap } from '../components/bits.tsx';
import { ms, score } from '../format.ts';

type TaskResult = BrowserInferResponse['results'][number][string];
export interface Answer {
  where: 'edge' | 'browser';
  roundTripMs: number;
  response: Omit<BrowserInferResponse, 'backend'> & { backend: string };
}

/** Every number of a result, by name: scores per label, or values by position. */
function numbers(r: TaskResult | undefined): Map<string, number> {
  if (!r) return new Map();
  if ('values' in r) return new Map(r.values.map((v, i) => [String(i), v]));
  return new Map(Object.entries(r.scores));
}

export function maxDifference(a: Answer['response'], b: Answer['response']): number {
  let max = 0;
  for (const [i, row] of a.results.entries())
    for (const [task, r] of Object.entries(row)) {
      const other = numbers(b.results[i]?.[task]);
      for (const [k, v] of numbers(r)) max = Math.max(max, Math.abs(v - (other.get(k) ?? Number.NaN)));
    }
  return max;
}

const summary = (r: TaskResult | undefined) =>
  !r
    ? '—'
    : 'label' in r
      ? `${r.label} (${score(r.score)})`
      : 'labels' in r
        ? r.labels.join(', ') || 'none'
        : `[${r.values.length} values]`;

function Run({ answer, title }: { answer: Answer | undefined; title: string }) {
  const r = answer?.response;
  return (
    <section class="panel" aria-labelledby={`${title}-h`}>
      <h2 id={`${title}-h`}>{title === 'edge' ? 'At the edge' : 'In this browser'}</h2>
      {r ? (
        <>
          <Facts
            items={[
              ['Version', `v${r.version}${r.alias ? ` (alias ${r.alias})` : ''}`],
              ['Backend', r.backend],
              ['Latency', ms(answer.roundTripMs)],
              [
                title === 'edge' ? 'Server time' : 'Tokenize + run',
                ms(title === 'edge' ? r.timing.total_ms : r.timing.tokenize_ms + r.timing.run_ms),
              ],
              ['Model load', r.timing.load_ms == null ? 'warm' : ms(r.timing.load_ms)],
              ...('cache' in r && r.cache
                ? [['Files', `${r.cache.misses} downloaded, ${r.cache.hits} from cache`] as [string, string]]
                : []),
            ]}
          />
          <details>
            <summary>Raw response (JSON)</summary>
            <pre id={`${title}-json`}>{JSON.stringify(r, null, 2)}</pre>
          </details>
        </>
      ) : (
        <p class="muted">Not run yet.</p>
      )}
    </section>
  );
}

export function Comparison({ inputs, edge, browser }: { inputs: string[]; edge?: Answer; browser?: Answer }) {
  const rows = (edge ?? browser)?.response.results ?? [];
  const tasks = Object.keys(rows[0] ?? {});
  const diff =
    edge && browser && edge.response.version === browser.response.version ? maxDifference(edge.response, browser.response) : undefined;
  return (
    <>
      <div class="compare">
        <Run answer={edge} title="edge" />
        <Run answer={browser} title="browser" />
      </div>
      {diff !== undefined ? (
        <p class="notice" role="status">
          Largest difference between the edge's and the browser's scores:{' '}
          <output id="max-diff">{diff === 0 ? '0 (identical)' : diff.toExponential(2)}</output>
        </p>
      ) : edge && browser ? (
        <p class="problem">
          The runs answered from different versions (v{edge.response.version} and v{browser.response.version}).
        </p>
      ) : null}
      {rows.length ? (
        <TableWrap label="Results">
          <table>
            <thead>
              <tr>
                <th scope="col">Input</th>
                <th scope="col">Task</th>
                <th scope="col">Edge</th>
                <th scope="col">Browser</th>
              </tr>
            </thead>
            <tbody>
              {rows.flatMap((_, i) =>
                tasks.map((t, j) => (
                  <tr key={`${i}/${t}`}>
                    {j === 0 ? (
                      <th scope="row" rowSpan={tasks.length}>
                        {inputs[i] ?? `#${i + 1}`}
                      </th>
                    ) : null}
                    <td>{t}</td>
                    <td>{summary(edge?.response.results[i]?.[t])}</td>
                    <td>{summary(browser?.response.results[i]?.[t])}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </>
  );
}

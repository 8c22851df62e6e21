// How a version was made, from its manifest's recipe: for a merge, the method, its
// parameters, the base and each expert with its weight; anything else as facts.
import { Facts, TableWrap } from '../components/bits.tsx';
import { short } from '../format.ts';

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/** An expert or base as recipes name them: {version, weight?, sha256?} (merges made here)
 * or {name, version} (merges made by the CLI from package folders). */
const who = (e: unknown) => (isObject(e) ? (e.name ? `${e.name} ${e.version ?? ''}`.trim() : `v${e.version}`) : String(e));

export function Recipe({ recipe }: { recipe: Json }) {
  const method = typeof recipe.method === 'string' ? recipe.method : undefined;
  const experts = Array.isArray(recipe.experts) ? recipe.experts : [];
  const parameters = isObject(recipe.parameters) ? recipe.parameters : {};
  const shown = new Set(['method', 'experts', 'parameters', 'base']);
  const rest = Object.entries(recipe).filter(([k]) => !shown.has(k));
  return (
    <>
      {method ? (
        <>
          <p>
            A merged version: <strong>{method}</strong> over {experts.length} expert{experts.length === 1 ? '' : 's'}
            {isObject(recipe.base) ? <> on the base {who(recipe.base)}</> : null}.
          </p>
          {Object.keys(parameters).length ? (
            <Facts items={Object.entries(parameters).map(([k, v]) => [k, String(v)] as [string, string])} />
          ) : null}
          <TableWrap label="Experts">
            <table>
              <thead>
                <tr>
                  <th scope="col">Expert</th>
                  <th scope="col" class="num">
                    Weight
                  </th>
                  <th scope="col">sha256</th>
                </tr>
              </thead>
              <tbody>
                {experts.map((e, i) => (
                  <tr key={i}>
                    <td>{who(e)}</td>
                    <td class="num">{isObject(e) && e.weight !== undefined ? String(e.weight) : '—'}</td>
                    <td>{isObject(e) && typeof e.sha256 === 'string' ? <code title={e.sha256}>{short(e.sha256, 12)}</code> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      ) : null}
      {rest.length ? (
        <Facts
          items={rest.map(([k, v]) => [
            k,
            typeof v === 'object' && v !== null ? (
              <details>
                <summary>{Array.isArray(v) ? `${v.length} entries` : 'details'}</summary>
                <pre>{JSON.stringify(v, null, 2)}</pre>
              </details>
            ) : (
              String(v)
            ),
          ])}
        />
      ) : null}
    </>
  );
}

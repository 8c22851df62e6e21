// One version's manifest, read: files and sizes, input and tokenizer, tasks, quantization,
// and the recipe (a merged version shows its method, parameters, base and experts).
import { useQuery } from '../api.ts';
import { Facts, TableWrap } from '../components/bits.tsx';
import { PageTitle } from '../components/layout.tsx';
import { Loading, Problem } from '../components/problem.tsx';
import { bytes, short, when } from '../format.ts';
import { Link } from '../router.tsx';
import { Recipe } from './recipe.tsx';

export function VersionPage({ name, version }: { name: string; version: number }) {
  const q = useQuery(
    (c) => c.ok(c.api.GET('/v1/models/{model}/versions/{version}', { params: { path: { model: name, version } } })),
    [name, version],
  );
  const v = q.data;
  const m = v?.manifest;
  return (
    <>
      <p>
        <Link href={`/models/${encodeURIComponent(name)}`}>← {name}</Link>
      </p>
      <PageTitle>
        <code>{name}</code> v{version}
      </PageTitle>
      <Problem error={q.error} />
      {!v && q.loading ? <Loading what="the version" /> : null}
      {v && m ? (
        <>
          {m.description ? <p>{m.description}</p> : null}
          <Facts
            items={[
              ['Created', when(v.created_at)],
              ['Size', bytes(v.bytes)],
              ['Quantization', m.quantization],
              ['Aliases', v.aliases.join(', ') || '—'],
              ['Package version', m.version],
              ['Graph sha256', <span title={v.sha256}>{short(v.sha256, 12)}</span>],
            ]}
          />
          <h2>Files</h2>
          <TableWrap label="Files">
            <table>
              <thead>
                <tr>
                  <th scope="col">Path</th>
                  <th scope="col">Role</th>
                  <th scope="col" class="num">
                    Size
                  </th>
                  <th scope="col">sha256</th>
                </tr>
              </thead>
              <tbody>
                {m.files.map((f) => (
                  <tr key={f.path}>
                    <td>
                      <code>{f.path}</code>
                    </td>
                    <td>{f.role}</td>
                    <td class="num">{bytes(f.bytes)}</td>
                    <td title={f.sha256}>
                      <code>{short(f.sha256, 16)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <h2>Input</h2>
          {m.input.kind === 'text' ? (
            <Facts
              items={[
                ['Takes', 'text'],
                ['Tokenizer', m.input.tokenizer.type],
                ['Max tokens', m.input.tokenizer.maxTokens ?? '—'],
                ['Tensors', Object.values(m.input.tensors).filter(Boolean).join(', ')],
              ]}
            />
          ) : (
            <p>Tensors: {m.input.tensors.map((t) => `${t.name} (${t.dtype} [${t.shape.join(', ')}])`).join('; ')}</p>
          )}
          <h2>Tasks</h2>
          <TableWrap label="Tasks">
            <table>
              <thead>
                <tr>
                  <th scope="col">Task</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Output</th>
                  <th scope="col">Labels</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(m.tasks).map(([task, t]) => (
                  <tr key={task}>
                    <td>
                      <code>{task}</code>
                      {t.description ? <div class="muted">{t.description}</div> : null}
                    </td>
                    <td>
                      {t.kind}
                      {t.pooling && t.pooling !== 'none' ? `, ${t.pooling} pooling` : ''}
                    </td>
                    <td>
                      <code>{t.output}</code>
                    </td>
                    <td>{t.labels?.join(', ') ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <h2>Recipe</h2>
          {m.recipe ? <Recipe recipe={m.recipe} /> : <p class="muted">This version records no recipe.</p>}
          <details>
            <summary>The whole manifest (JSON)</summary>
            <pre>{JSON.stringify(m, null, 2)}</pre>
          </details>
        </>
      ) : null}
    </>
  );
}

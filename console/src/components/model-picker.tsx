// Choosing what to run: a model, then an alias or a pinned version, then tasks. Used by the
// playground and the batch form; reads /v1/models and the chosen model's detail.
import type { components } from '@chimera/client';
import { useEffect } from 'preact/hooks';
import { useQuery } from '../api.ts';
import { aliasText } from '../pages/models.tsx';
import { Problem } from './problem.tsx';

export interface Choice {
  model: string;
  /** "alias:prod" or "version:3" */
  route: string;
  tasks: string[];
}
export type ModelDetail = components['schemas']['ModelDetail'];

export const routeBody = (route: string): { alias?: string; version?: number } =>
  route.startsWith('version:') ? { version: Number(route.slice(8)) } : { alias: route.slice(6) || 'prod' };

/** The tasks of the version a choice names (for an alias, of its first target). */
export function tasksOf(detail: ModelDetail | undefined, route: string): string[] {
  if (!detail) return [];
  const { version, alias } = routeBody(route);
  const v = version ?? detail.aliases[alias ?? 'prod']?.[0]?.version ?? detail.latest_version;
  return Object.keys(detail.versions.find((x) => x.version === v)?.tasks ?? {});
}

export function ModelPicker({ id, choice, onChange }: { id: string; choice: Choice; onChange(c: Choice): void }) {
  const models = useQuery((c) => c.ok(c.api.GET('/v1/models')), []);
  const detail = useQuery(
    (c) =>
      choice.model ? c.ok(c.api.GET('/v1/models/{model}', { params: { path: { model: choice.model } } })) : Promise.resolve(undefined),
    [choice.model],
  );
  const d = detail.data;
  const available = tasksOf(d, choice.route);
  // a new model or route: pick the first model, its prod alias (or latest version), all tasks
  useEffect(() => {
    if (!choice.model && models.data?.models[0]) onChange({ model: models.data.models[0].name, route: 'alias:prod', tasks: [] });
  }, [models.data]);
  useEffect(() => {
    if (!d || d.name !== choice.model) return;
    const routes = [...Object.keys(d.aliases).map((a) => `alias:${a}`), ...d.versions.map((v) => `version:${v.version}`)];
    const route = routes.includes(choice.route) ? choice.route : (routes[0] ?? '');
    const tasks = choice.tasks.filter((t) => tasksOf(d, route).includes(t));
    if (route !== choice.route || tasks.length !== choice.tasks.length || !choice.tasks.length)
      onChange({ ...choice, route, tasks: tasks.length ? tasks : tasksOf(d, route) });
  }, [d, choice.route]);

  return (
    <>
      <Problem error={models.error ?? detail.error} />
      <div class="row field">
        <div>
          <label for={`${id}-model`}>Model</label>
          <select
            id={`${id}-model`}
            value={choice.model}
            onChange={(e) => onChange({ model: e.currentTarget.value, route: 'alias:prod', tasks: [] })}
          >
            {models.data?.models.map((m) => (
              <option key={m.name} value={m.name}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for={`${id}-route`}>Alias or version</label>
          <select id={`${id}-route`} value={choice.route} onChange={(e) => onChange({ ...choice, route: e.currentTarget.value })}>
            {d && d.name === choice.model ? (
              <>
                {Object.entries(d.aliases).map(([a, ts]) => (
                  <option key={a} value={`alias:${a}`}>
                    alias {a} ({aliasText(ts)})
                  </option>
                ))}
                {d.versions.map((v) => (
                  <option key={v.version} value={`version:${v.version}`}>
                    version {v.version}
                  </option>
                ))}
              </>
            ) : null}
          </select>
        </div>
      </div>
      {available.length ? (
        <fieldset>
          <legend>Tasks</legend>
          {available.map((t) => (
            <label class="check" key={t}>
              <input
                type="checkbox"
                checked={choice.tasks.includes(t)}
                onChange={(e) =>
                  onChange({ ...choice, tasks: e.currentTarget.checked ? [...choice.tasks, t] : choice.tasks.filter((x) => x !== t) })
                }
              />
              {t}
            </label>
          ))}
        </fieldset>
      ) : null}
    </>
  );
}

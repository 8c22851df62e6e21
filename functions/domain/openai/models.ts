// Model names on the OpenAI surface: `model` is a Chimera model, "model@alias" (default
// prod), or "model@alias#task" where a version has several embedding tasks; and the
// list GET /openai/v1/models answers: each model the tenant can call, and each alias of
// it other than prod as "model@alias".
import { ApiError } from '../../../schemas/api/problems.ts';
import type { Manifest } from '../../../schemas/manifest.ts';
import type { Db } from '../../infra/db.ts';
import { aliasesOf } from '../aliases.ts';
import { listModels, PUBLIC_OWNER } from '../registry.ts';

export interface OpenAiModelRef {
  model: string;
  alias?: string;
  task?: string;
}

const REF = /^([a-z0-9][a-z0-9._-]{0,62})(?:@([a-z0-9_-]{1,32}))?(?:#([a-z0-9_-]+))?$/;

export function parseOpenAiModel(s: string, path = 'model'): OpenAiModelRef {
  const m = REF.exec(s);
  if (!m) {
    throw new ApiError('validation', `${path}: "${s}" is not a model: give "name", "name@alias" or "name@alias#task"`, {
      errors: [{ path, message: 'not a Chimera model name' }],
    });
  }
  return { model: m[1]!, ...(m[2] ? { alias: m[2] } : {}), ...(m[3] ? { task: m[3] } : {}) };
}

/** The embedding task a request means: the one named, else "embedding", else the only one. */
export function embeddingTask(manifest: Manifest, ref: OpenAiModelRef, version: number): string {
  const tasks = Object.entries(manifest.tasks).filter(([, t]) => t.kind === 'embedding');
  const name = `"${ref.model}" v${version}`;
  if (ref.task) {
    if (!tasks.some(([t]) => t === ref.task)) throw new ApiError('task-not-found', `${name} has no embedding task "${ref.task}"`);
    return ref.task;
  }
  if (!tasks.length)
    throw new ApiError('task-not-found', `${name} has no embedding task (its tasks: ${Object.keys(manifest.tasks).join(', ')})`);
  const named = tasks.find(([t]) => t === 'embedding') ?? (tasks.length === 1 ? tasks[0] : undefined);
  if (!named) throw new ApiError('task-not-found', `${name} has several embedding tasks: name one as "${ref.model}@prod#${tasks[0]![0]}"`);
  return named[0];
}

export async function listOpenAiModels(db: Db, tenantId: string) {
  const listed = await listModels(db, tenantId);
  const aliases = await aliasesOf(
    db,
    listed.map((m) => m.row.id),
  );
  return listed.flatMap(({ row }) => {
    const entry = (id: string) => ({
      id,
      object: 'model' as const,
      created: Math.floor(row.createdAt / 1000),
      owned_by: row.owner === PUBLIC_OWNER ? 'chimera' : row.owner,
    });
    const others = Object.keys(aliases.get(row.id) ?? {}).filter((a) => a !== 'prod');
    return [entry(row.name), ...others.sort().map((a) => entry(`${row.name}@${a}`))];
  });
}

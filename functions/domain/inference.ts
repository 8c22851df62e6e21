// One inference request: the limits, the version the caller asked for (pinned, or an
// alias's pick), the tasks, then the model from this isolate's cache and one run. The
// usage draft is filled in as each fact is learnt, so a failed request is metered with
// what was known when it failed.
import { ModelError } from '../../models/errors.ts';
import { type Inference, infer, type LoadedModel } from '../../models/runtime.ts';
import { codePoints } from '../../schemas/api/common.ts';
import type { InferBody } from '../../schemas/api/infer.ts';
import { ApiError } from '../../schemas/api/problems.ts';
import { limits } from '../infra/config.ts';
import type { Db } from '../infra/db.ts';
import { getModel } from '../infra/loaded-models.ts';
import { admitInference } from './limits.ts';
import { findModelFor, type ModelRow, type ResolvedVersion, resolveVersion } from './registry.ts';
import type { UsageDraft } from './usage/record.ts';

export interface InferenceDone {
  version: ResolvedVersion;
  result: Inference;
  /** set when this request loaded the model (a cold start) */
  loaded?: LoadedModel;
}

/** 404 naming any task the version does not have; the tasks to run (default all). */
export function chooseTasks(version: ResolvedVersion, model: string, wanted: string[] | undefined): string[] {
  const known = Object.keys(version.manifest.tasks);
  const unknown = (wanted ?? []).filter((t) => !known.includes(t));
  if (unknown.length) {
    throw new ApiError(
      'task-not-found',
      `model "${model}" v${version.number} has no task ${unknown.map((t) => `"${t}"`).join(', ')}; it has ${known.join(', ')}`,
    );
  }
  return wanted ?? known;
}

/** What a request may run, decided before any model work: its limits checked, admitted,
 * the version resolved and the tasks chosen (usage is filled in as each is learnt). */
export interface PreparedInference {
  version: ResolvedVersion;
  tasks: string[];
  /** bills the input tokens once they are known (admission counted the items) */
  chargeTokens: (tokens: number) => void;
}

/** Admits `items` inputs (see admitInference) and finds the model (with what resolving
 * `want` will need, see findModelFor), both read at once: on a cold isolate each is a D1
 * round trip. A refusal still outranks a 404, as when they ran in turn. */
export async function admitAndFind(
  env: Env,
  db: Db,
  tenantId: string,
  name: string,
  items: number,
  want: { version?: number; alias?: string },
): Promise<{ chargeTokens: (tokens: number) => void; model: ModelRow }> {
  const [admitted, found] = await Promise.allSettled([
    admitInference(env, db, tenantId, items),
    findModelFor(db, tenantId, name, want, limits(env).cacheTtlMs),
  ]);
  if (admitted.status === 'rejected') throw admitted.reason;
  if (found.status === 'rejected') throw found.reason;
  return { chargeTokens: admitted.value, model: found.value };
}

export async function prepareInference(
  env: Env,
  db: Db,
  tenantId: string,
  name: string,
  body: InferBody & { routingKey?: string },
  usage: UsageDraft,
): Promise<PreparedInference> {
  const limit = limits(env);
  if (body.inputs.length > limit.maxInputs) {
    throw new ApiError(
      'too-many-inputs',
      `${body.inputs.length} inputs; at most ${limit.maxInputs} per request (use a batch job for more)`,
    );
  }
  const length = (i: (typeof body.inputs)[number]) =>
    typeof i === 'string' ? codePoints(i) : typeof i.text === 'string' ? codePoints(i.text) + codePoints(i.text_pair as string) : 0;
  const long = body.inputs.findIndex((i) => length(i) > limit.maxTextChars);
  if (long >= 0) {
    throw new ApiError('text-too-long', `inputs[${long}] has ${length(body.inputs[long]!)} characters; at most ${limit.maxTextChars}`, {
      errors: [{ path: `inputs.${long}`, message: `longer than ${limit.maxTextChars} characters` }],
    });
  }

  const { chargeTokens, model } = await admitAndFind(env, db, tenantId, name, body.inputs.length, body);
  const version = await resolveVersion(db, model, body, limit.cacheTtlMs);
  usage.version = version.number;
  usage.tasks = body.tasks ?? Object.keys(version.manifest.tasks);
  return { version, tasks: [...new Set(chooseTasks(version, name, body.tasks))], chargeTokens };
}

/** Loads the prepared version (from this isolate's cache when it can) and runs it. */
export async function runPrepared(
  env: Env,
  prepared: PreparedInference,
  inputs: InferBody['inputs'],
  usage: UsageDraft,
  waitUntil?: (p: Promise<unknown>) => void,
): Promise<InferenceDone> {
  const { model: loaded, cold } = await getModel(env, prepared.version, waitUntil);
  let result: Inference;
  try {
    result = await infer(loaded, inputs, prepared.tasks, { microBatch: limits(env).microBatch });
  } catch (e) {
    if (e instanceof ModelError) throw new ApiError('bad-inputs', e.message);
    throw e;
  }
  usage.inputTokens = result.inputTokens;
  prepared.chargeTokens(result.inputTokens);
  usage.backend = result.backend;
  return { version: prepared.version, result, ...(cold ? { loaded } : {}) };
}

export async function runInference(
  env: Env,
  db: Db,
  tenantId: string,
  name: string,
  body: InferBody & { routingKey?: string },
  usage: UsageDraft,
  waitUntil?: (p: Promise<unknown>) => void,
): Promise<InferenceDone> {
  const prepared = await prepareInference(env, db, tenantId, name, body, usage);
  return runPrepared(env, prepared, body.inputs, usage, waitUntil);
}

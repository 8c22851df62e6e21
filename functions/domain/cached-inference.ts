// The GET form of inference: one short text against a version resolved first (pinned, or
// an alias's pick), so that the answer is named by what decides it. Its ETag hashes the
// version's id, the tasks and the input: a caller revalidating gets 304 while the alias
// still picks that version, and a new answer as soon as it picks another. Answers are
// kept in the location's edge cache under that name and the tenant's, so a repeat runs
// no model.
import { sha256Hex } from '../../models/hash.ts';
import type { Inference } from '../../models/runtime.ts';
import { codePoints } from '../../schemas/api/common.ts';
import type { InferResponse } from '../../schemas/api/infer.ts';
import { MAX_GET_CHARS } from '../../schemas/api/infer-get.ts';
import { ApiError } from '../../schemas/api/problems.ts';
import { limits } from '../infra/config.ts';
import type { Db } from '../infra/db.ts';
import { answerKey, billCached, keepAnswer, readAnswer } from './answer-cache.ts';
import { chooseTasks, runInference } from './inference.ts';
import { admitInference } from './limits.ts';
import { findModelFor, resolveVersion } from './registry.ts';
import type { UsageDraft } from './usage/record.ts';

export interface GetInference {
  input: string;
  text_pair?: string;
  tasks?: string[];
  version?: number;
  alias?: string;
  ifNoneMatch?: string;
}

export type GetAnswer =
  | { status: 304; etag: string; version: number; alias: string | null }
  | { status: 200; etag: string; hit: boolean; body: InferResponse };

export async function inferByGet(
  env: Env,
  db: Db,
  tenantId: string,
  name: string,
  want: GetInference,
  usage: UsageDraft,
  waitUntil: (p: Promise<unknown>) => void,
  startedAt: number,
): Promise<GetAnswer> {
  for (const [field, text] of [
    ['input', want.input],
    ['text_pair', want.text_pair],
  ] as const) {
    if (text !== undefined && codePoints(text) > MAX_GET_CHARS)
      throw new ApiError(
        'text-too-long',
        `${field} has ${codePoints(text)} characters; a GET takes at most ${MAX_GET_CHARS} (POST takes more)`,
        {
          errors: [{ path: field, message: `longer than ${MAX_GET_CHARS} characters` }],
        },
      );
  }
  const ttl = limits(env).cacheTtlMs;
  const version = await resolveVersion(db, await findModelFor(db, tenantId, name, want, ttl), want, ttl);
  const tasks = [...new Set(chooseTasks(version, name, want.tasks))].sort();
  Object.assign(usage, { version: version.number, tasks });
  const etag = `"${(await sha256Hex(JSON.stringify([version.id, tasks, want.input, want.text_pair ?? null]))).slice(0, 32)}"`;
  if (want.ifNoneMatch?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    usage.items = 0;
    return { status: 304, etag, version: version.number, alias: version.alias };
  }
  const answer = (result: Inference, timing: InferResponse['timing']): InferResponse => ({
    model: name,
    version: version.number,
    alias: version.alias,
    backend: result.backend,
    results: result.results,
    usage: { items: 1, input_tokens: result.inputTokens },
    timing,
  });
  // the ETag names the answer; the cache entry is also the tenant's own (answer-cache.ts)
  const key = await answerKey(tenantId, ['get', etag]);
  const cached = await readAnswer(key);
  if (cached) {
    billCached(usage, await admitInference(env, db, tenantId, 1), cached);
    const timing = { total_ms: performance.now() - startedAt, tokenize_ms: 0, run_ms: 0, load_ms: null };
    return { status: 200, etag, hit: true, body: answer(cached, timing) };
  }
  const input = want.text_pair === undefined ? want.input : { text: want.input, text_pair: want.text_pair };
  // pinned to the version resolved above, so the alias is not rolled twice
  const done = await runInference(env, db, tenantId, name, { inputs: [input], tasks, version: version.number }, usage, waitUntil);
  waitUntil(keepAnswer(key, done.result));
  const timing = {
    total_ms: performance.now() - startedAt,
    tokenize_ms: done.result.tokenizeMs,
    run_ms: done.result.runMs,
    load_ms: done.loaded ? done.loaded.loadMs : null,
  };
  return { status: 200, etag, hit: false, body: answer(done.result, timing) };
}

// Answers kept in the location's edge cache: what a pinned version answered for exactly
// these inputs and tasks. A version never changes, so neither does its answer; the
// caller's max-age still bounds how old a reused one may be. Every key holds the tenant:
// a hit (or its speed) must never tell one tenant what another sent to a shared model.
import { sha256Hex } from '../../models/hash.ts';
import type { Inference } from '../../models/runtime.ts';
import type { InferBody } from '../../schemas/api/infer.ts';
import type { Db } from '../infra/db.ts';
import { cacheGet, cachePut } from '../infra/edge-cache.ts';
import { type InferenceDone, prepareInference, runPrepared } from './inference.ts';
import type { UsageDraft } from './usage/record.ts';

/** The cache key of an answer: the tenant first, then what decides the answer. */
export const answerKey = (tenantId: string, decidedBy: unknown): Promise<string> => sha256Hex(JSON.stringify([tenantId, decidedBy]));

interface Kept {
  storedAt: number;
  backend: Inference['backend'];
  results: Inference['results'];
  inputTokens: number;
}

/** hit and miss as usual; bypass: caching was asked for, but the body names no version */
export type CacheOutcome = 'hit' | 'miss' | 'bypass';

/** POST inference with the caller's opt-in (a max-age in seconds): a pinned version's
 * answer to an identical request comes from the cache, billed like a run. */
export async function inferCached(
  env: Env,
  db: Db,
  tenantId: string,
  name: string,
  body: InferBody & { routingKey?: string },
  usage: UsageDraft,
  waitUntil: (p: Promise<unknown>) => void,
  maxAgeS: number,
): Promise<InferenceDone & { cache: CacheOutcome }> {
  const prepared = await prepareInference(env, db, tenantId, name, body, usage);
  // an alias may pick another version on the next request (a canary, a rollback)
  if (body.version === undefined) return { ...(await runPrepared(env, prepared, body.inputs, usage, waitUntil)), cache: 'bypass' };
  // the tasks in the order asked: the answer lists them in that order
  const key = await answerKey(tenantId, ['post', prepared.version.id, prepared.tasks, body.inputs]);
  const kept = await cacheGet<Kept>(key);
  if (kept && Date.now() - kept.storedAt <= maxAgeS * 1000) {
    prepared.chargeTokens(kept.inputTokens);
    Object.assign(usage, { inputTokens: kept.inputTokens, backend: 'cache' });
    const result: Inference = { backend: kept.backend, results: kept.results, inputTokens: kept.inputTokens, tokenizeMs: 0, runMs: 0 };
    return { version: prepared.version, result, cache: 'hit' };
  }
  const done = await runPrepared(env, prepared, body.inputs, usage, waitUntil);
  const { backend, results, inputTokens } = done.result;
  waitUntil(cachePut(key, { storedAt: Date.now(), backend, results, inputTokens } satisfies Kept));
  return { ...done, cache: 'miss' };
}

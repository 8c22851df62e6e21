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

/** What the cache keeps of an inference: enough to answer again, and when it was kept. */
interface Kept {
  storedAt: number;
  backend: Inference['backend'];
  results: Inference['results'];
  inputTokens: number;
}

/** The answer kept under `key`, if one is there and at most `maxAgeMs` old. */
export async function readAnswer(key: string, maxAgeMs = Number.POSITIVE_INFINITY): Promise<Inference | undefined> {
  const kept = await cacheGet<Kept>(key);
  if (!kept || Date.now() - kept.storedAt > maxAgeMs) return undefined;
  return { backend: kept.backend, results: kept.results, inputTokens: kept.inputTokens, tokenizeMs: 0, runMs: 0 };
}

export const keepAnswer = (key: string, { backend, results, inputTokens }: Inference): Promise<void> =>
  cachePut(key, { storedAt: Date.now(), backend, results, inputTokens } satisfies Kept);

/** A cached answer is billed like a run: its tokens, and `cache` for the backend. */
export function billCached(usage: UsageDraft, chargeTokens: (tokens: number) => void, answer: Inference): void {
  chargeTokens(answer.inputTokens);
  Object.assign(usage, { inputTokens: answer.inputTokens, backend: 'cache' });
}

/** hit and miss as usual; bypass: caching was asked for, but the body names no version */
export type CacheOutcome = 'hit' | 'miss' | 'bypass';

/** POST inference, with the response cache when the caller opted in (a max-age in
 * seconds): a pinned version's answer to an identical request comes from the cache. */
export async function inferCached(
  env: Env,
  db: Db,
  tenantId: string,
  name: string,
  body: InferBody & { routingKey?: string },
  usage: UsageDraft,
  waitUntil: (p: Promise<unknown>) => void,
  maxAgeS: number | undefined,
): Promise<InferenceDone & { cache?: CacheOutcome }> {
  const prepared = await prepareInference(env, db, tenantId, name, body, usage);
  const run = () => runPrepared(env, prepared, body.inputs, usage, waitUntil);
  if (maxAgeS === undefined) return run();
  // an alias may pick another version on the next request (a canary, a rollback)
  if (body.version === undefined) return { ...(await run()), cache: 'bypass' };
  // the tasks in the order asked: the answer lists them in that order
  const key = await answerKey(tenantId, ['post', prepared.version.id, prepared.tasks, body.inputs]);
  const kept = await readAnswer(key, maxAgeS * 1000);
  if (kept) {
    billCached(usage, prepared.chargeTokens, kept);
    return { version: prepared.version, result: kept, cache: 'hit' };
  }
  const done = await run();
  waitUntil(keepAnswer(key, done.result));
  return { ...done, cache: 'miss' };
}

// The isolate's model cache, shared by every request the isolate serves.

import { wasmHeapBytes } from '../../models/backend.ts';
import { ModelError } from '../../models/errors.ts';
import { estimateHeapBytes, type LoadedModel, loadModel } from '../../models/runtime.ts';
import { OverBudget, SessionCache } from '../../models/sessions.ts';
import { ApiError } from '../../schemas/api/problems.ts';
import type { Manifest } from '../../schemas/manifest.ts';
import { cachedBlobs } from './blob-cache.ts';
import { limits } from './config.ts';

/** A model version as the cache knows it: its row id names it in the cache. */
export interface VersionToLoad {
  id: string;
  number: number;
  manifest: Manifest;
}

let cache: SessionCache<LoadedModel> | undefined;

export function modelCache(env: Env): SessionCache<LoadedModel> {
  cache ??= new SessionCache<LoadedModel>({ budgetBytes: limits(env).sessionBudgetBytes });
  return cache;
}

/** The loaded model and whether this call loaded it (a cold start). `waitUntil` keeps
 * the isolate alive while a loaded model's bytes are put in the location's cache. */
export async function getModel(
  env: Env,
  version: VersionToLoad,
  waitUntil?: (p: Promise<unknown>) => void,
): Promise<{ model: LoadedModel; cold: boolean }> {
  const models = modelCache(env);
  const expected = estimateHeapBytes(version.manifest);
  if (expected > models.budgetBytes) {
    throw new ApiError(
      'model-too-large',
      `${version.manifest.name} v${version.number} needs about ${mib(expected)} of heap; this isolate's session budget is ${mib(models.budgetBytes)}`,
    );
  }
  let cold = false;
  try {
    const model = await models.get(version.id, expected, () => {
      cold = true;
      return loadModel(cachedBlobs(env.MODELS, waitUntil), version.manifest);
    });
    return { model, cold };
  } catch (e) {
    if (e instanceof OverBudget) {
      throw new ApiError('model-too-large', `${version.manifest.name} v${version.number}: ${e.message}`);
    }
    if (e instanceof ModelError) {
      const type = e.code === 'integrity' ? 'model-integrity' : e.code === 'too_large' ? 'model-too-large' : 'model-load';
      throw new ApiError(type, `version ${version.number} of "${version.manifest.name}" cannot be served: ${e.message}`);
    }
    throw e;
  }
}

const mib = (b: number) => `${(b / (1 << 20)).toFixed(1)} MiB`;

/** What the isolate's session cache holds, for readiness checks. */
export function sessionStats(env: Env) {
  const models = modelCache(env);
  return { loaded: models.keys().length, used_bytes: models.usedBytes, budget_bytes: models.budgetBytes, wasm_heap_bytes: wasmHeapBytes() };
}

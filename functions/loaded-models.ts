// The isolate's model cache, shared by every request the isolate serves.

import { ModelError } from '../models/errors.ts';
import { estimateHeapBytes, type LoadedModel, loadModel } from '../models/runtime.ts';
import { SessionCache } from '../models/sessions.ts';
import { limits } from './config.ts';
import { ApiError } from './problem.ts';
import type { ResolvedVersion } from './registry.ts';

let cache: SessionCache<LoadedModel> | undefined;

export function modelCache(env: Env): SessionCache<LoadedModel> {
  cache ??= new SessionCache<LoadedModel>({ budgetBytes: limits(env).sessionBudgetBytes });
  return cache;
}

/** The loaded model and whether this call loaded it (a cold start). */
export async function getModel(env: Env, version: ResolvedVersion): Promise<{ model: LoadedModel; cold: boolean }> {
  const models = modelCache(env);
  const expected = estimateHeapBytes(version.manifest);
  if (expected > models.budgetBytes) {
    throw new ApiError(
      503,
      'model-too-large',
      `${version.manifest.name} v${version.number} needs about ${mib(expected)} of heap; this isolate's session budget is ${mib(models.budgetBytes)}`,
    );
  }
  let cold = false;
  try {
    const model = await models.get(version.id, expected, () => {
      cold = true;
      return loadModel(env.MODELS, version.manifest);
    });
    return { model, cold };
  } catch (e) {
    if (e instanceof ModelError) {
      const status = e.code === 'integrity' ? 502 : 503;
      throw new ApiError(
        status,
        `model-${e.code}`,
        `version ${version.number} of "${version.manifest.name}" cannot be served: ${e.message}`,
      );
    }
    throw e;
  }
}

const mib = (b: number) => `${(b / (1 << 20)).toFixed(1)} MiB`;

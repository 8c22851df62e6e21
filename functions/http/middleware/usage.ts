// After each authenticated request: its usage row (failures too), from what the handler
// put in c.var.usage and how the response ended.
import { createMiddleware } from 'hono/factory';
import { recordUsage } from '../../domain/usage/record.ts';
import type { AppEnv } from '../context.ts';

export const usageRows = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const caller = c.get('caller');
  const draft = c.get('usage');
  if (!caller || !draft) return;
  const status = c.res.status;
  const error = status >= 400 ? await problemDetail(c.res) : null;
  c.executionCtx.waitUntil(
    recordUsage(c.env, {
      requestId: c.get('requestId'),
      tenantId: caller.tenantId,
      keyId: caller.keyId,
      operation: draft.operation,
      model: draft.model ?? null,
      version: draft.version ?? null,
      tasks: draft.tasks ?? null,
      items: draft.items ?? 0,
      inputTokens: draft.inputTokens ?? 0,
      latencyMs: performance.now() - c.get('startedAt'),
      backend: draft.backend ?? null,
      status,
      error,
      createdAt: Date.now(),
    }),
  );
});

const problemDetail = (res: Response): Promise<string | null> =>
  res
    .clone()
    .json()
    .then(
      (p) => (p as { detail?: string }).detail ?? null,
      () => null,
    );

// One usage row per authenticated request, written after the response (waitUntil) so
// that metering never sits on the critical path; failed requests are metered too.
import { createMiddleware } from 'hono/factory';
import { drizzle } from 'drizzle-orm/d1';
import type { AppEnv } from './context.ts';
import { usageEvents } from '../schemas/db/schema.ts';

export const recordUsage = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const caller = c.get('caller');
  const draft = c.get('usage');
  if (!caller || !draft) return;
  const status = c.res.status;
  const error = status >= 400 ? await c.res.clone().json().then((p) => (p as { detail?: string }).detail ?? null, () => null) : null;
  const write = drizzle(c.env.DB).insert(usageEvents).values({
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
  }).run().catch((e: unknown) => console.error(`usage row for ${c.get('requestId')} not written:`, e));
  c.executionCtx.waitUntil(write);
});

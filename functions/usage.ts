// One usage row per authenticated request, failures included, written after the response
// so metering is never on the critical path. Rows from concurrent requests in an isolate
// are batched into one D1 round trip per flush window: on 2 cores a write per request
// cost the *next* requests 2-3 ms of contention. Each request's waitUntil holds the
// flush its row is in, so the runtime keeps the isolate alive until the row is stored.

import { drizzle } from 'drizzle-orm/d1';
import { createMiddleware } from 'hono/factory';
import { usageEvents } from '../schemas/db/schema.ts';
import type { AppEnv } from './context.ts';

type UsageRow = typeof usageEvents.$inferInsert;

const FLUSH_MS = 100;
const ROWS_PER_STATEMENT = 6; // D1 binds at most 100 parameters per statement

let pending: UsageRow[] = [];
let flush: Promise<void> | undefined;

function enqueue(db: D1Database, row: UsageRow): Promise<void> {
  pending.push(row);
  flush ??= new Promise((resolve) => setTimeout(resolve, FLUSH_MS))
    .then(async () => {
      const rows = pending;
      pending = [];
      flush = undefined;
      const d = drizzle(db);
      const statements = [];
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        statements.push(d.insert(usageEvents).values(rows.slice(i, i + ROWS_PER_STATEMENT)));
      }
      const [first, ...rest] = statements;
      if (first) await d.batch([first, ...rest]);
    })
    .catch((e: unknown) => console.error('usage rows not written:', e));
  return flush;
}

export const recordUsage = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const caller = c.get('caller');
  const draft = c.get('usage');
  if (!caller || !draft) return;
  const status = c.res.status;
  const error =
    status >= 400
      ? await c.res
          .clone()
          .json()
          .then(
            (p) => (p as { detail?: string }).detail ?? null,
            () => null,
          )
      : null;
  c.executionCtx.waitUntil(
    enqueue(c.env.DB, {
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

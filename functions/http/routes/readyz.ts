import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { sessionStats } from '../../infra/loaded-models.ts';
import type { AppEnv } from '../context.ts';
import { publicRoute } from '../openapi.ts';

const Ready = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    checks: z.object({ d1: z.boolean(), r2: z.boolean() }),
    sessions: z.object({
      loaded: z.number().int(),
      used_bytes: z.number().int(),
      budget_bytes: z.number().int(),
      wasm_heap_bytes: z.number().int(),
    }),
  })
  .openapi('Readiness');

export const readyzRoute = publicRoute({
  method: 'get',
  path: '/readyz',
  operationId: 'readyz',
  summary: 'Readiness: D1 and R2 answer; what the session cache holds',
  tags: ['health'],
  responses: {
    200: { description: 'ready', content: { 'application/json': { schema: Ready } } },
    503: { description: 'a dependency is down', content: { 'application/json': { schema: Ready } } },
  },
});

export const registerReadyz = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(readyzRoute, async (c) => {
    const ok = (p: Promise<unknown>) =>
      p.then(
        () => true,
        () => false,
      );
    const [d1, r2] = await Promise.all([ok(c.env.DB.prepare('select 1').first()), ok(c.env.MODELS.head('readyz'))]);
    const body = { status: d1 && r2 ? ('ready' as const) : ('unavailable' as const), checks: { d1, r2 }, sessions: sessionStats(c.env) };
    return c.json(body, d1 && r2 ? 200 : 503);
  });

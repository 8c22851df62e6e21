import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../context.ts';
import { publicRoute } from '../openapi.ts';

export const healthzRoute = publicRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'healthz',
  summary: 'Liveness: the isolate answers',
  tags: ['health'],
  responses: { 200: { description: 'alive', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } } },
});

export const registerHealthz = (app: OpenAPIHono<AppEnv>) => app.openapi(healthzRoute, (c) => c.json({ status: 'ok' as const }, 200));

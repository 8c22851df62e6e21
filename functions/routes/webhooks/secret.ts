import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { WebhookSecret } from '../../../schemas/api/webhooks.ts';
import { requireKey } from '../../auth.ts';
import type { AppEnv } from '../../context.ts';
import { secretsFor } from '../../webhooks.ts';

export const getSecretRoute = createRoute({
  method: 'get',
  path: '/v1/webhooks/secret',
  summary: "Your tenant's webhook signing secret (made on first use)",
  tags: ['webhooks'],
  security: [{ bearer: [] }],
  middleware: [requireKey('batches')] as const,
  responses: {
    200: { description: 'the secret', content: { 'application/json': { schema: WebhookSecret } } },
    401: problemResponse('missing or unknown API key'),
  },
});

export const registerGetSecret = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(getSecretRoute, async (c) => c.json(await secretsFor(drizzle(c.env.DB), c.get('caller')!.tenantId), 200));

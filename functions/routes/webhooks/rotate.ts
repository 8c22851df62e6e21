import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { WebhookSecret } from '../../../schemas/api/webhooks.ts';
import { requireKey } from '../../auth.ts';
import type { AppEnv } from '../../context.ts';
import { rotateSecret } from '../../webhooks.ts';

export const rotateSecretRoute = createRoute({
  method: 'post',
  path: '/v1/webhooks/secret/rotate',
  summary: 'A new signing secret; deliveries carry signatures by both until the next rotation',
  tags: ['webhooks'],
  security: [{ bearer: [] }],
  middleware: [requireKey('batches')] as const,
  responses: {
    200: { description: 'the secrets', content: { 'application/json': { schema: WebhookSecret } } },
    401: problemResponse('missing or unknown API key'),
  },
});

export const registerRotateSecret = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(rotateSecretRoute, async (c) => c.json(await rotateSecret(drizzle(c.env.DB), c.get('caller')!.tenantId), 200));

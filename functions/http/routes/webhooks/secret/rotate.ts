import type { OpenAPIHono } from '@hono/zod-openapi';
import { WebhookSecret } from '../../../../../schemas/api/webhooks.ts';
import { rotateSecret } from '../../../../domain/webhooks/secrets.ts';
import type { AppEnv } from '../../../context.ts';
import { authedRoute } from '../../../openapi.ts';

export const rotateSecretRoute = authedRoute('batches', {
  method: 'post',
  path: '/v1/webhooks/secret/rotate',
  operationId: 'rotateWebhookSecret',
  summary: 'A new signing secret; deliveries carry signatures by both until the next rotation',
  tags: ['webhooks'],
  responses: { 200: { description: 'the secrets', content: { 'application/json': { schema: WebhookSecret } } } },
});

export const registerRotateSecret = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(rotateSecretRoute, async (c) => c.json(await rotateSecret(c.env, c.var.db, c.var.caller.tenantId), 200));

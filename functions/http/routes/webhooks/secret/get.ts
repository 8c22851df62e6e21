import type { OpenAPIHono } from '@hono/zod-openapi';
import { WebhookSecret } from '../../../../../schemas/api/webhooks.ts';
import { secretsFor } from '../../../../domain/webhooks/secrets.ts';
import type { AppEnv } from '../../../context.ts';
import { authedRoute } from '../../../openapi.ts';

export const getSecretRoute = authedRoute('batches', {
  method: 'get',
  path: '/v1/webhooks/secret',
  operationId: 'getWebhookSecret',
  summary: "Your tenant's webhook signing secret (made on first use)",
  tags: ['webhooks'],
  responses: { 200: { description: 'the secret', content: { 'application/json': { schema: WebhookSecret } } } },
});

export const registerGetSecret = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(getSecretRoute, async (c) => c.json(await secretsFor(c.env, c.var.db, c.var.caller.tenantId), 200));

import type { OpenAPIHono } from '@hono/zod-openapi';
import { ApiKey } from '../../../../schemas/api/admin.ts';
import { PublishableKeyParams, UpdatePublishableKey } from '../../../../schemas/api/keys.ts';
import { changePublishableKey } from '../../../domain/publishable-keys.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';
import { keyView } from '../../views/admin.ts';

export const updatePublishableKeyRoute = authedRoute('keys', {
  method: 'patch',
  path: '/v1/publishable-keys/{key}',
  operationId: 'updatePublishableKey',
  summary: "Change a publishable key's name, models or origins (the key itself stays)",
  tags: ['keys'],
  request: { params: PublishableKeyParams, body: { required: true, content: { 'application/json': { schema: UpdatePublishableKey } } } },
  errors: ['key-not-found', 'model-not-found'],
  responses: { 200: { description: 'the key', content: { 'application/json': { schema: ApiKey } } } },
});

export const registerUpdatePublishableKey = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(updatePublishableKeyRoute, async (c) => {
    const row = await changePublishableKey(c.var.db, c.var.caller.tenantId, c.req.valid('param').key, c.req.valid('json'));
    return c.json(keyView(row), 200);
  });

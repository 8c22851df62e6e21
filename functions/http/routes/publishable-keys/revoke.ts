import type { OpenAPIHono } from '@hono/zod-openapi';
import { ApiKey } from '../../../../schemas/api/admin.ts';
import { PublishableKeyParams } from '../../../../schemas/api/keys.ts';
import { ApiError } from '../../../../schemas/api/problems.ts';
import { revokeKey } from '../../../domain/keys.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';
import { keyView } from '../../views/admin.ts';

export const revokePublishableKeyRoute = authedRoute('keys', {
  method: 'delete',
  path: '/v1/publishable-keys/{key}',
  operationId: 'revokePublishableKey',
  summary: 'Revoke a publishable key (other isolates stop taking it within CACHE_TTL_MS)',
  tags: ['keys'],
  request: { params: PublishableKeyParams },
  errors: ['key-not-found'],
  responses: { 200: { description: 'the revoked key', content: { 'application/json': { schema: ApiKey } } } },
});

export const registerRevokePublishableKey = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(revokePublishableKeyRoute, async (c) => {
    const { key } = c.req.valid('param');
    const row = await revokeKey(c.var.db, c.var.caller.tenantId, key, 'publishable');
    if (!row) throw new ApiError('key-not-found', `no live publishable key "${key}"`);
    return c.json(keyView(row), 200);
  });

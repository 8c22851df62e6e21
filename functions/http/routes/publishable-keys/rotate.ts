import type { OpenAPIHono } from '@hono/zod-openapi';
import { IssuedKey } from '../../../../schemas/api/admin.ts';
import { PublishableKeyParams } from '../../../../schemas/api/keys.ts';
import { ApiError } from '../../../../schemas/api/problems.ts';
import { rotateKey } from '../../../domain/keys.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';
import { keyView } from '../../views/admin.ts';

export const rotatePublishableKeyRoute = authedRoute('keys', {
  method: 'post',
  path: '/v1/publishable-keys/{key}/rotate',
  operationId: 'rotatePublishableKey',
  summary: 'Replace a publishable key with a new one (same name, models and origins); the old one is revoked',
  tags: ['keys'],
  request: { params: PublishableKeyParams },
  errors: ['key-not-found'],
  responses: { 201: { description: 'the new key, with its secret this once', content: { 'application/json': { schema: IssuedKey } } } },
});

export const registerRotatePublishableKey = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(rotatePublishableKeyRoute, async (c) => {
    const { key } = c.req.valid('param');
    const rotated = await rotateKey(c.var.db, c.var.caller.tenantId, key, 'publishable');
    if (!rotated) throw new ApiError('key-not-found', `no live publishable key "${key}"`);
    return c.json({ ...keyView(rotated.row), key: rotated.key }, 201);
  });

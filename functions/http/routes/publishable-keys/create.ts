import type { OpenAPIHono } from '@hono/zod-openapi';
import { IssuedKey } from '../../../../schemas/api/admin.ts';
import { CreatePublishableKey } from '../../../../schemas/api/keys.ts';
import { issuePublishableKey } from '../../../domain/publishable-keys.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';
import { keyView } from '../../views/admin.ts';

export const createPublishableKeyRoute = authedRoute('keys', {
  method: 'post',
  path: '/v1/publishable-keys',
  operationId: 'createPublishableKey',
  summary: 'Issue a publishable key (chm_pk_…, shown once): inference only, on the models and from the origins named on it',
  tags: ['keys'],
  request: { body: { required: true, content: { 'application/json': { schema: CreatePublishableKey } } } },
  errors: ['model-not-found'],
  responses: { 201: { description: 'the key, with its secret this once', content: { 'application/json': { schema: IssuedKey } } } },
});

export const registerCreatePublishableKey = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(createPublishableKeyRoute, async (c) => {
    const { key, row } = await issuePublishableKey(c.var.db, c.var.caller.tenantId, c.req.valid('json'));
    return c.json({ ...keyView(row), key }, 201);
  });

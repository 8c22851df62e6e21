import type { OpenAPIHono } from '@hono/zod-openapi';
import { ApiKeyList } from '../../../../schemas/api/admin.ts';
import { listKeys } from '../../../domain/keys.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';
import { keyView } from '../../views/admin.ts';

export const listPublishableKeysRoute = authedRoute('keys', {
  method: 'get',
  path: '/v1/publishable-keys',
  operationId: 'listPublishableKeys',
  summary: 'List your publishable keys, revoked ones too (never their secrets)',
  tags: ['keys'],
  responses: { 200: { description: 'keys', content: { 'application/json': { schema: ApiKeyList } } } },
});

export const registerListPublishableKeys = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(listPublishableKeysRoute, async (c) =>
    c.json({ keys: (await listKeys(c.var.db, c.var.caller.tenantId, 'publishable')).map(keyView) }, 200),
  );

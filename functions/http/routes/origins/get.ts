import type { OpenAPIHono } from '@hono/zod-openapi';
import { Origins } from '../../../../schemas/api/keys.ts';
import { tenantOrigins } from '../../../domain/origins.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';
import { originsView } from '../../views/admin.ts';

export const getOriginsRoute = authedRoute('keys', {
  method: 'get',
  path: '/v1/origins',
  operationId: 'getOrigins',
  summary: 'The browser origins of your keys: the default of publishable keys, and those secret keys may be used from',
  tags: ['keys'],
  responses: { 200: { description: 'origins', content: { 'application/json': { schema: Origins } } } },
});

export const registerGetOrigins = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(getOriginsRoute, async (c) => c.json(originsView(await tenantOrigins(c.var.db, c.var.caller.tenantId)), 200));

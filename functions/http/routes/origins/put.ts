import type { OpenAPIHono } from '@hono/zod-openapi';
import { Origins } from '../../../../schemas/api/keys.ts';
import { setTenantOrigins } from '../../../domain/origins.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';
import { originsView } from '../../views/admin.ts';

export const putOriginsRoute = authedRoute('keys', {
  method: 'put',
  path: '/v1/origins',
  operationId: 'putOrigins',
  summary: 'Replace the browser origins of your keys (seen everywhere within CACHE_TTL_MS)',
  tags: ['keys'],
  request: { body: { required: true, content: { 'application/json': { schema: Origins } } } },
  responses: { 200: { description: 'origins', content: { 'application/json': { schema: Origins } } } },
});

export const registerPutOrigins = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(putOriginsRoute, async (c) => {
    const body = c.req.valid('json');
    const next = { defaultOrigins: body.default_origins, secretKeyOrigins: body.secret_key_origins };
    return c.json(originsView(await setTenantOrigins(c.var.db, c.var.caller.tenantId, next)), 200);
  });

import type { OpenAPIHono } from '@hono/zod-openapi';
import { AliasParams, AliasView, SetAlias } from '../../../../../schemas/api/aliases.ts';
import { setAlias } from '../../../../domain/aliases.ts';
import { findOwnModel } from '../../../../domain/registry.ts';
import type { AppEnv } from '../../../context.ts';
import { authedRoute } from '../../../openapi.ts';

export const putAliasRoute = authedRoute('models:write', {
  method: 'put',
  path: '/v1/models/{model}/aliases/{alias}',
  operationId: 'putAlias',
  summary: 'Point an alias at a version, or split its traffic by weight',
  tags: ['aliases'],
  request: { params: AliasParams, body: { required: true, content: { 'application/json': { schema: SetAlias } } } },
  errors: ['model-not-found', 'read-only', 'version-not-found'],
  responses: { 200: { description: 'the alias as it now is', content: { 'application/json': { schema: AliasView } } } },
});

export const registerPutAlias = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(putAliasRoute, async (c) => {
    const { model: name, alias } = c.req.valid('param');
    const body = c.req.valid('json');
    const { db, caller } = c.var;
    c.set('usage', { operation: 'alias.set', model: name });
    const model = await findOwnModel(db, caller.tenantId, name);
    const targets = 'version' in body ? [{ version: body.version, weight: 1 }] : body.targets;
    await setAlias(db, model, alias, targets, caller.keyId, 'set');
    return c.json({ model: name, alias, targets, updated_at: new Date().toISOString() }, 200);
  });

import type { OpenAPIHono } from '@hono/zod-openapi';
import { AliasParams, AliasView } from '../../../../../schemas/api/aliases.ts';
import { rollbackAlias } from '../../../../domain/aliases.ts';
import { findOwnModel } from '../../../../domain/registry.ts';
import type { AppEnv } from '../../../context.ts';
import { authedRoute } from '../../../openapi.ts';

export const rollbackAliasRoute = authedRoute('models:write', {
  method: 'post',
  path: '/v1/models/{model}/aliases/{alias}/rollback',
  operationId: 'rollbackAlias',
  summary: 'Return an alias to the targets it had before its last change',
  tags: ['aliases'],
  request: { params: AliasParams },
  errors: ['model-not-found', 'read-only', 'alias-not-found', 'version-not-found', 'nothing-to-roll-back', 'alias-changed'],
  responses: { 200: { description: 'the alias as it now is', content: { 'application/json': { schema: AliasView } } } },
});

export const registerRollbackAlias = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(rollbackAliasRoute, async (c) => {
    const { model: name, alias } = c.req.valid('param');
    const { db, caller } = c.var;
    c.set('usage', { operation: 'alias.rollback', model: name });
    const model = await findOwnModel(db, caller.tenantId, name);
    const targets = await rollbackAlias(db, model, alias, caller.keyId);
    return c.json({ model: name, alias, targets, updated_at: new Date().toISOString() }, 200);
  });

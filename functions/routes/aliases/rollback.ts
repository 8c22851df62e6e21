import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { AliasParams, AliasView } from '../../../schemas/api/aliases.ts';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { aliasHistory, setAlias } from '../../aliases.ts';
import { requireKey } from '../../auth.ts';
import type { AppEnv } from '../../context.ts';
import { findOwnModel } from '../../owned.ts';
import { ApiError } from '../../problem.ts';

export const rollbackAliasRoute = createRoute({
  method: 'post',
  path: '/v1/models/{model}/aliases/{alias}/rollback',
  summary: 'Return an alias to the targets it had before its last change',
  tags: ['aliases'],
  security: [{ bearer: [] }],
  middleware: [requireKey('models:write')] as const,
  request: { params: AliasParams },
  responses: {
    200: { description: 'the alias as it now is', content: { 'application/json': { schema: AliasView } } },
    401: problemResponse('missing or unknown API key'),
    403: problemResponse('a public model, or a key without models:write'),
    404: problemResponse('no such model or alias'),
    409: problemResponse('the alias has no earlier target to return to'),
  },
});

export const registerRollbackAlias = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(rollbackAliasRoute, async (c) => {
    const { model: name, alias } = c.req.valid('param');
    const db = drizzle(c.env.DB);
    const caller = c.get('caller')!;
    c.set('usage', { operation: 'alias.rollback', model: name });
    const model = await findOwnModel(db, caller.tenantId, name);
    const [last] = await aliasHistory(db, model.id, alias);
    if (!last) throw new ApiError(404, 'alias-not-found', `model "${name}" has no alias "${alias}"`);
    if (!last.fromTargets)
      throw new ApiError(
        409,
        'nothing-to-roll-back',
        `alias "${alias}" of "${name}" has had only one target; there is nothing to return to`,
      );
    await setAlias(db, model, alias, last.fromTargets, caller.keyId, 'rollback');
    return c.json({ model: name, alias, targets: last.fromTargets, updated_at: new Date().toISOString() }, 200);
  });

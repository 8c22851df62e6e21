import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { AliasParams, AliasView, SetAlias } from '../../../schemas/api/aliases.ts';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { setAlias } from '../../aliases.ts';
import { requireKey } from '../../auth.ts';
import type { AppEnv } from '../../context.ts';
import { findOwnModel } from '../../owned.ts';

export const putAliasRoute = createRoute({
  method: 'put',
  path: '/v1/models/{model}/aliases/{alias}',
  summary: 'Point an alias at a version, or split its traffic by weight',
  tags: ['aliases'],
  security: [{ bearer: [] }],
  middleware: [requireKey('models:write')] as const,
  request: { params: AliasParams, body: { required: true, content: { 'application/json': { schema: SetAlias } } } },
  responses: {
    200: { description: 'the alias as it now is', content: { 'application/json': { schema: AliasView } } },
    401: problemResponse('missing or unknown API key'),
    403: problemResponse('a public model, or a key without models:write'),
    404: problemResponse('no such model or version'),
    422: problemResponse('invalid targets'),
  },
});

export const registerPutAlias = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(putAliasRoute, async (c) => {
    const { model: name, alias } = c.req.valid('param');
    const body = c.req.valid('json');
    const db = drizzle(c.env.DB);
    const caller = c.get('caller')!;
    c.set('usage', { operation: 'alias.set', model: name });
    const model = await findOwnModel(db, caller.tenantId, name);
    const targets = 'version' in body ? [{ version: body.version, weight: 1 }] : body.targets;
    await setAlias(db, model, alias, targets, caller.keyId, 'set');
    return c.json({ model: name, alias, targets, updated_at: new Date().toISOString() }, 200);
  });

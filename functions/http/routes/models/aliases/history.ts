import type { OpenAPIHono } from '@hono/zod-openapi';
import { AliasHistory, AliasParams } from '../../../../../schemas/api/aliases.ts';
import { aliasHistory } from '../../../../domain/aliases.ts';
import { findModel } from '../../../../domain/registry.ts';
import type { AppEnv } from '../../../context.ts';
import { authedRoute } from '../../../openapi.ts';
import { iso } from '../../../views/time.ts';

export const aliasHistoryRoute = authedRoute('infer', {
  method: 'get',
  path: '/v1/models/{model}/aliases/{alias}/history',
  operationId: 'getAliasHistory',
  summary: 'Every change to an alias: who, when, from, to (newest first)',
  tags: ['aliases'],
  request: { params: AliasParams },
  errors: ['model-not-found'],
  responses: { 200: { description: 'the changes', content: { 'application/json': { schema: AliasHistory } } } },
});

export const registerAliasHistory = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(aliasHistoryRoute, async (c) => {
    const { model: name, alias } = c.req.valid('param');
    const model = await findModel(c.var.db, c.var.caller.tenantId, name);
    const events = await aliasHistory(c.var.db, model.id, alias);
    return c.json(
      {
        model: name,
        alias,
        events: events.map((e) => ({ action: e.action, from: e.fromTargets, to: e.toTargets, actor: e.actor, at: iso(e.createdAt) })),
      },
      200,
    );
  });

import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { AliasHistory, AliasParams } from '../../../schemas/api/aliases.ts';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { aliasHistory } from '../../aliases.ts';
import { requireKey } from '../../auth.ts';
import type { AppEnv } from '../../context.ts';
import { findModel } from '../../registry.ts';

export const aliasHistoryRoute = createRoute({
  method: 'get',
  path: '/v1/models/{model}/aliases/{alias}/history',
  summary: 'Every change to an alias: who, when, from, to (newest first)',
  tags: ['aliases'],
  security: [{ bearer: [] }],
  middleware: [requireKey('infer')] as const,
  request: { params: AliasParams },
  responses: {
    200: { description: 'the changes', content: { 'application/json': { schema: AliasHistory } } },
    401: problemResponse('missing or unknown API key'),
    404: problemResponse('no such model'),
  },
});

export const registerAliasHistory = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(aliasHistoryRoute, async (c) => {
    const { model: name, alias } = c.req.valid('param');
    const db = drizzle(c.env.DB);
    const model = await findModel(db, c.get('caller')!.tenantId, name);
    const events = await aliasHistory(db, model.id, alias);
    return c.json(
      {
        model: name,
        alias,
        events: events.map((e) => ({
          action: e.action as 'set' | 'rollback',
          from: e.fromTargets,
          to: e.toTargets,
          actor: e.actor,
          at: new Date(e.createdAt).toISOString(),
        })),
      },
      200,
    );
  });

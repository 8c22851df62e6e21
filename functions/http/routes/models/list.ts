import type { OpenAPIHono } from '@hono/zod-openapi';
import { ModelList } from '../../../../schemas/api/models.ts';
import { aliasesOf } from '../../../domain/aliases.ts';
import { listModels } from '../../../domain/registry.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';
import { summary } from '../../views/models.ts';

export const listModelsRoute = authedRoute('infer', {
  method: 'get',
  path: '/v1/models',
  operationId: 'listModels',
  summary: 'List the models you can call: the public ones and your own',
  tags: ['models'],
  responses: { 200: { description: 'models', content: { 'application/json': { schema: ModelList } } } },
});

export const registerListModels = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(listModelsRoute, async (c) => {
    const listed = await listModels(c.var.db, c.var.caller.tenantId);
    const aliasMap = await aliasesOf(
      c.var.db,
      listed.map((m) => m.row.id),
    );
    return c.json({ models: listed.map((m) => summary(m.row, m.latest, aliasMap.get(m.row.id))) }, 200);
  });

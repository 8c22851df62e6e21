import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { inArray, max } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { ModelList } from '../../../schemas/api/models.ts';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { models, modelVersions } from '../../../schemas/db/schema.ts';
import { requireKey } from '../../auth.ts';
import type { AppEnv } from '../../context.ts';
import { aliasesOf, summary } from '../../model-views.ts';
import { PUBLIC_OWNER } from '../../registry.ts';

export const listModelsRoute = createRoute({
  method: 'get',
  path: '/v1/models',
  summary: 'List the models you can call: the public ones and your own',
  tags: ['models'],
  security: [{ bearer: [] }],
  middleware: [requireKey('infer')] as const,
  responses: {
    200: { description: 'models', content: { 'application/json': { schema: ModelList } } },
    401: problemResponse('missing or unknown API key'),
  },
});

export const registerListModels = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(listModelsRoute, async (c) => {
    const db = drizzle(c.env.DB);
    const rows = await db
      .select()
      .from(models)
      .where(inArray(models.owner, [c.get('caller')!.tenantId, PUBLIC_OWNER]))
      .orderBy(models.name);
    const ids = rows.map((r) => r.id);
    const latest = ids.length
      ? await db
          .select({ id: modelVersions.modelId, n: max(modelVersions.number) })
          .from(modelVersions)
          .where(inArray(modelVersions.modelId, ids))
          .groupBy(modelVersions.modelId)
      : [];
    const aliasMap = await aliasesOf(db, ids);
    return c.json(
      {
        models: rows.map((r) => summary(r, latest.find((l) => l.id === r.id)?.n ?? null, aliasMap.get(r.id))),
      },
      200,
    );
  });

import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { ModelDetail, ModelParams } from '../../../schemas/api/models.ts';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { Manifest } from '../../../schemas/manifest.ts';
import { requireKey } from '../../auth.ts';
import type { AppEnv } from '../../context.ts';
import { aliasesOf, summary, taskSummaries } from '../../model-views.ts';
import { findModel, listVersions } from '../../registry.ts';

export const getModelRoute = createRoute({
  method: 'get',
  path: '/v1/models/{model}',
  summary: 'A model: its manifest, versions and aliases',
  tags: ['models'],
  security: [{ bearer: [] }],
  middleware: [requireKey('infer')] as const,
  request: { params: ModelParams },
  responses: {
    200: { description: 'the model', content: { 'application/json': { schema: ModelDetail } } },
    401: problemResponse('missing or unknown API key'),
    404: problemResponse('no such model'),
  },
});

export const registerGetModel = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(getModelRoute, async (c) => {
    const db = drizzle(c.env.DB);
    const model = await findModel(db, c.get('caller')!.tenantId, c.req.valid('param').model);
    const versions = await listVersions(db, model.id);
    const aliasMap = (await aliasesOf(db, [model.id])).get(model.id);
    const prodVersion = aliasMap?.prod?.[0]?.version;
    const shown = versions.find((v) => v.number === prodVersion) ?? versions[0];
    return c.json(
      {
        ...summary(model, versions[0]?.number ?? null, aliasMap),
        manifest: (shown?.manifest ?? {}) as Record<string, unknown>,
        versions: versions.map((v) => {
          const m = Manifest.parse(v.manifest);
          return {
            version: v.number,
            sha256: v.sha256,
            bytes: v.bytes,
            created_at: new Date(v.createdAt).toISOString(),
            tasks: taskSummaries(m),
            quantization: m.quantization,
          };
        }),
      },
      200,
    );
  });

import type { OpenAPIHono } from '@hono/zod-openapi';
import { ModelDetail, ModelParams } from '../../../../schemas/api/models.ts';
import { aliasesOf } from '../../../domain/aliases.ts';
import { findModel, listVersions } from '../../../domain/registry.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';
import { summary, versionView } from '../../views/models.ts';

export const getModelRoute = authedRoute('infer', {
  method: 'get',
  path: '/v1/models/{model}',
  operationId: 'getModel',
  summary: 'A model: its manifest, versions and aliases',
  tags: ['models'],
  request: { params: ModelParams },
  errors: ['model-not-found'],
  responses: { 200: { description: 'the model', content: { 'application/json': { schema: ModelDetail } } } },
});

export const registerGetModel = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(getModelRoute, async (c) => {
    const { db, caller } = c.var;
    const model = await findModel(db, caller.tenantId, c.req.valid('param').model);
    const versions = await listVersions(db, model.id);
    const aliasMap = (await aliasesOf(db, [model.id])).get(model.id);
    const prodVersion = aliasMap?.prod?.[0]?.version;
    const shown = versions.find((v) => v.number === prodVersion) ?? versions[0];
    return c.json(
      {
        ...summary(model, versions[0]?.number ?? null, aliasMap),
        manifest: (shown?.manifest ?? {}) as Record<string, unknown>,
        versions: versions.map(versionView),
      },
      200,
    );
  });

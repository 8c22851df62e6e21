import type { OpenAPIHono } from '@hono/zod-openapi';
import { VersionDetail, VersionParams } from '../../../../../schemas/api/packages.ts';
import { ApiError } from '../../../../../schemas/api/problems.ts';
import { Manifest } from '../../../../../schemas/manifest.ts';
import { aliasesOf } from '../../../../domain/aliases.ts';
import { findModel, listVersions } from '../../../../domain/registry.ts';
import type { AppEnv } from '../../../context.ts';
import { authedRoute } from '../../../openapi.ts';
import { versionView } from '../../../views/models.ts';

export const getVersionRoute = authedRoute('infer', {
  method: 'get',
  path: '/v1/models/{model}/versions/{version}',
  operationId: 'getModelVersion',
  summary: 'One version: its manifest (files, sizes, quantization, tasks, recipe) and the aliases that route to it',
  tags: ['versions'],
  request: { params: VersionParams },
  errors: ['model-not-found', 'version-not-found'],
  responses: { 200: { description: 'the version', content: { 'application/json': { schema: VersionDetail } } } },
});

export const registerGetVersion = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(getVersionRoute, async (c) => {
    const { model: name, version } = c.req.valid('param');
    const model = await findModel(c.var.db, c.var.caller.tenantId, name);
    const row = (await listVersions(c.var.db, model.id)).find((v) => v.number === version);
    if (!row) throw new ApiError('version-not-found', `model "${name}" has no version ${version}`);
    const aliasMap = (await aliasesOf(c.var.db, [model.id])).get(model.id) ?? {};
    const aliases = Object.entries(aliasMap)
      .filter(([, targets]) => targets.some((t) => t.version === version))
      .map(([alias]) => alias);
    return c.json({ ...versionView(row), manifest: Manifest.parse(row.manifest), aliases }, 200);
  });

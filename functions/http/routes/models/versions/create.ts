import type { OpenAPIHono } from '@hono/zod-openapi';
import { ModelParams } from '../../../../../schemas/api/models.ts';
import { CreateVersion, Upload } from '../../../../../schemas/api/uploads.ts';
import { openUpload } from '../../../../domain/uploads.ts';
import type { AppEnv } from '../../../context.ts';
import { authedRoute } from '../../../openapi.ts';
import { uploadView } from '../../../views/uploads.ts';

export const createVersionRoute = authedRoute('models:write', {
  method: 'post',
  path: '/v1/models/{model}/versions',
  operationId: 'createVersion',
  summary: 'Start a new version: send its manifest, then PUT each file to its upload_url, then POST commit_url',
  tags: ['versions'],
  request: { params: ModelParams, body: { required: true, content: { 'application/json': { schema: CreateVersion } } } },
  responses: { 201: { description: 'an open upload', content: { 'application/json': { schema: Upload } } } },
});

export const registerCreateVersion = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(createVersionRoute, async (c) => {
    const { model } = c.req.valid('param');
    const { manifest, alias } = c.req.valid('json');
    c.set('usage', { operation: 'version.upload', model });
    return c.json(uploadView(await openUpload(c.var.db, c.var.caller.tenantId, model, manifest, alias)), 201);
  });

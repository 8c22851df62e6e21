import type { OpenAPIHono } from '@hono/zod-openapi';
import { StoredFile, UploadFileParams } from '../../../../../schemas/api/uploads.ts';
import { findUpload, putUploadFile } from '../../../../domain/uploads.ts';
import type { AppEnv } from '../../../context.ts';
import { authedRoute } from '../../../openapi.ts';

export const putUploadFileRoute = authedRoute('models:write', {
  method: 'put',
  path: '/v1/uploads/{upload}/files/{path}',
  operationId: 'putUploadFile',
  summary: 'Stream one file of an upload (the raw bytes as the body); it is kept only if its sha256 and size match the manifest',
  tags: ['versions'],
  request: {
    params: UploadFileParams,
    body: {
      required: true,
      description: "the file's bytes, exactly as its manifest entry hashes them",
      // OpenAPI 3.1's raw bytes: a media type without a JSON type (generated clients take any body)
      content: { 'application/octet-stream': { schema: { contentMediaType: 'application/octet-stream' } } },
    },
  },
  errors: ['upload-not-found', 'file-not-found', 'upload-closed', 'empty-body', 'upload-size', 'upload-hash', 'storage-quota'],
  responses: { 200: { description: 'stored', content: { 'application/json': { schema: StoredFile } } } },
});

export const registerPutUploadFile = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(putUploadFileRoute, async (c) => {
    const { upload: id, path } = c.req.valid('param');
    const upload = await findUpload(c.var.db, c.var.caller.tenantId, id);
    c.set('usage', { operation: 'version.upload', model: upload.model });
    const { stored } = await putUploadFile(c.env, c.var.db, upload, path, c.req.raw.body);
    return c.json({ path, stored }, 200);
  });

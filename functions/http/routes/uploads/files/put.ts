import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { UploadFileParams } from '../../../../../schemas/api/uploads.ts';
import { findUpload, putUploadFile } from '../../../../domain/uploads.ts';
import type { AppEnv } from '../../../context.ts';
import { authedRoute } from '../../../openapi.ts';

const Stored = z.object({
  path: z.string(),
  stored: z.boolean().openapi({ description: 'false when identical bytes were stored already' }),
});

export const putUploadFileRoute = authedRoute('models:write', {
  method: 'put',
  path: '/v1/uploads/{upload}/files/{path}',
  operationId: 'putUploadFile',
  summary: 'Stream one file of an upload (the raw bytes as the body); it is kept only if its sha256 and size match the manifest',
  tags: ['versions'],
  request: { params: UploadFileParams },
  errors: ['upload-not-found', 'file-not-found', 'upload-closed', 'empty-body', 'upload-size', 'upload-hash'],
  responses: { 200: { description: 'stored', content: { 'application/json': { schema: Stored } } } },
});

export const registerPutUploadFile = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(putUploadFileRoute, async (c) => {
    const { upload: id, path } = c.req.valid('param');
    const upload = await findUpload(c.var.db, c.var.caller.tenantId, id);
    c.set('usage', { operation: 'version.upload', model: upload.model });
    const { stored } = await putUploadFile(c.env.MODELS, upload, path, c.req.raw.body);
    return c.json({ path, stored }, 200);
  });

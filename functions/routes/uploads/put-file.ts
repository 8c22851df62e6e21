import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { UploadFileParams } from '../../../schemas/api/uploads.ts';
import { requireKey } from '../../auth.ts';
import { streamToBlob } from '../../blob-upload.ts';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../problem.ts';
import { findUpload } from '../../uploads.ts';

export const putUploadFileRoute = createRoute({
  method: 'put',
  path: '/v1/uploads/{upload}/files/{path}',
  summary: 'Stream one file of an upload (the raw bytes as the body); it is kept only if its sha256 and size match the manifest',
  tags: ['versions'],
  security: [{ bearer: [] }],
  middleware: [requireKey('models:write')] as const,
  request: { params: UploadFileParams },
  responses: {
    200: {
      description: 'stored',
      content: {
        'application/json': {
          schema: z.object({
            path: z.string(),
            stored: z.boolean().openapi({ description: 'false when identical bytes were stored already' }),
          }),
        },
      },
    },
    401: problemResponse('missing or unknown API key'),
    404: problemResponse('no such upload or file'),
    409: problemResponse('the upload is committed'),
    422: problemResponse('the bytes do not match the manifest'),
  },
});

export const registerPutUploadFile = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(putUploadFileRoute, async (c) => {
    const { upload: id, path } = c.req.valid('param');
    const upload = await findUpload(drizzle(c.env.DB), c.get('caller')!.tenantId, id);
    c.set('usage', { operation: 'version.upload', model: upload.model });
    if (upload.status !== 'open') throw new ApiError(409, 'upload-closed', `upload "${id}" is ${upload.status}`);
    const file = upload.manifest.files.find((f) => f.path === path);
    if (!file)
      throw new ApiError(
        404,
        'file-not-found',
        `upload "${id}" has no file "${path}"; its files are ${upload.manifest.files.map((f) => f.path).join(', ')}`,
      );
    const body = c.req.raw.body;
    if (!body) throw new ApiError(422, 'empty-body', `send the bytes of ${path} as the request body`);
    const { stored } = await streamToBlob(c.env.MODELS, body, file);
    return c.json({ path, stored }, 200);
  });

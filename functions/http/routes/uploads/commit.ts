import type { OpenAPIHono } from '@hono/zod-openapi';
import { CommittedVersion, UploadParams } from '../../../../schemas/api/uploads.ts';
import { commitUpload, findUpload } from '../../../domain/uploads.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';

export const commitUploadRoute = authedRoute('models:write', {
  method: 'post',
  path: '/v1/uploads/{upload}/commit',
  operationId: 'commitUpload',
  summary: 'Validate the uploaded files against the manifest and make the version visible',
  tags: ['versions'],
  request: { params: UploadParams },
  errors: ['upload-not-found', 'upload-closed', 'files-missing', 'upload-size', 'not-onnx', 'manifest-mismatch'],
  responses: { 201: { description: 'the new version', content: { 'application/json': { schema: CommittedVersion } } } },
});

export const registerCommitUpload = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(commitUploadRoute, async (c) => {
    const { db, caller } = c.var;
    const upload = await findUpload(db, caller.tenantId, c.req.valid('param').upload);
    c.set('usage', { operation: 'version.commit', model: upload.model });
    const { version } = await commitUpload(db, c.env.MODELS, upload, caller.keyId);
    const files = upload.manifest.files;
    const graph = files.find((f) => f.role === 'graph')!;
    const bytes = files.reduce((s, f) => s + f.bytes, 0);
    return c.json({ model: upload.model, version, sha256: graph.sha256, bytes, alias: upload.alias }, 201);
  });

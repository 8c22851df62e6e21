import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { indexOnnx } from '../../../models/onnx/index.ts';
import { checkPackage } from '../../../models/package-check.ts';
import { blobKey } from '../../../models/store.ts';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { CommittedVersion, UploadParams } from '../../../schemas/api/uploads.ts';
import { uploads } from '../../../schemas/db/schema.ts';
import { requireKey } from '../../auth.ts';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../problem.ts';
import { r2Reader } from '../../r2-range.ts';
import { forgetResolutions } from '../../registry.ts';
import { findUpload } from '../../uploads.ts';
import { insertVersion } from '../../versions.ts';

export const commitUploadRoute = createRoute({
  method: 'post',
  path: '/v1/uploads/{upload}/commit',
  summary: 'Validate the uploaded files against the manifest and make the version visible',
  tags: ['versions'],
  security: [{ bearer: [] }],
  middleware: [requireKey('models:write')] as const,
  request: { params: UploadParams },
  responses: {
    201: { description: 'the new version', content: { 'application/json': { schema: CommittedVersion } } },
    401: problemResponse('missing or unknown API key'),
    404: problemResponse('no such upload'),
    409: problemResponse('the upload is committed already'),
    422: problemResponse('files missing, not ONNX, or not what the manifest says'),
  },
});

export const registerCommitUpload = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(commitUploadRoute, async (c) => {
    const db = drizzle(c.env.DB);
    const caller = c.get('caller')!;
    const upload = await findUpload(db, caller.tenantId, c.req.valid('param').upload);
    c.set('usage', { operation: 'version.commit', model: upload.model });
    if (upload.status !== 'open')
      throw new ApiError(409, 'upload-closed', `upload "${upload.id}" is committed already (version ${upload.version})`);
    const { manifest } = upload;

    const missing: string[] = [];
    for (const f of manifest.files) if (!(await c.env.MODELS.head(blobKey(f.sha256)))) missing.push(f.path);
    if (missing.length) throw new ApiError(422, 'files-missing', `upload every file before committing; missing: ${missing.join(', ')}`);

    const graph = manifest.files.find((f) => f.role === 'graph')!;
    let index: Awaited<ReturnType<typeof indexOnnx>>;
    try {
      index = await indexOnnx(r2Reader(c.env.MODELS, graph.sha256, graph.bytes));
    } catch (e) {
      throw new ApiError(422, 'not-onnx', `${graph.path} is not a valid ONNX model: ${(e as Error).message}`);
    }
    const problems = checkPackage(manifest, index, Object.fromEntries(manifest.files.map((f) => [f.path, f.bytes])));
    if (problems.length) {
      throw new ApiError(422, 'manifest-mismatch', `the graph does not match its manifest: ${problems.join('; ')}`, {
        errors: problems.map((message) => ({ path: 'manifest', message })),
      });
    }
    const published = await insertVersion(db, {
      owner: caller.tenantId,
      model: upload.model,
      manifest,
      alias: upload.alias ?? undefined,
      actor: caller.keyId,
      alongside: (version) => [db.update(uploads).set({ status: 'committed', version }).where(eq(uploads.id, upload.id))],
    });
    forgetResolutions();
    return c.json(
      {
        model: upload.model,
        version: published.version,
        sha256: graph.sha256,
        bytes: manifest.files.reduce((s, f) => s + f.bytes, 0),
        alias: upload.alias,
      },
      201,
    );
  });

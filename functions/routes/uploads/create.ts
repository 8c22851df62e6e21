import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { ModelParams } from '../../../schemas/api/models.ts';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { CreateVersion, Upload } from '../../../schemas/api/uploads.ts';
import { uploads } from '../../../schemas/db/schema.ts';
import { requireKey } from '../../auth.ts';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../problem.ts';
import { uploadView } from '../../uploads.ts';

export const createVersionRoute = createRoute({
  method: 'post',
  path: '/v1/models/{model}/versions',
  summary: 'Start a new version: send its manifest, then PUT each file to its upload_url, then POST commit_url',
  tags: ['versions'],
  security: [{ bearer: [] }],
  middleware: [requireKey('models:write')] as const,
  request: { params: ModelParams, body: { required: true, content: { 'application/json': { schema: CreateVersion } } } },
  responses: {
    201: { description: 'an open upload', content: { 'application/json': { schema: Upload } } },
    401: problemResponse('missing or unknown API key'),
    403: problemResponse('a key without models:write'),
    422: problemResponse('an invalid manifest'),
  },
});

export const registerCreateVersion = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(createVersionRoute, async (c) => {
    const { model } = c.req.valid('param');
    const { manifest, alias } = c.req.valid('json');
    c.set('usage', { operation: 'version.upload', model });
    const graphs = manifest.files.filter((f) => f.role === 'graph').length;
    if (graphs !== 1) throw new ApiError(422, 'bad-manifest', `a manifest names exactly one graph file; this one names ${graphs}`);
    const paths = manifest.files.map((f) => f.path);
    if (new Set(paths).size !== paths.length) throw new ApiError(422, 'bad-manifest', 'file paths in the manifest must be unique');
    if (
      manifest.input.kind === 'text' &&
      manifest.input.tokenizer.type === 'tokenizer.json' &&
      !manifest.files.some((f) => f.role === 'tokenizer' && f.path === (manifest.input as { tokenizer: { file: string } }).tokenizer.file)
    ) {
      throw new ApiError(422, 'bad-manifest', `the tokenizer file "${manifest.input.tokenizer.file}" is not among the manifest's files`);
    }
    const row = { id: crypto.randomUUID(), tenantId: c.get('caller')!.tenantId, model, manifest, alias: alias ?? null, status: 'open' };
    await drizzle(c.env.DB).insert(uploads).values(row);
    return c.json(uploadView(row), 201);
  });

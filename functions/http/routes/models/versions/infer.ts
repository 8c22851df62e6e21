import type { OpenAPIHono } from '@hono/zod-openapi';
import { InferResponse, MODEL_RUN_ERRORS } from '../../../../../schemas/api/infer.ts';
import { CACHE_HEADERS, IfNoneMatchHeaders, InferQuery } from '../../../../../schemas/api/infer-get.ts';
import { VersionParams } from '../../../../../schemas/api/packages.ts';
import { inferByGet } from '../../../../domain/cached-inference.ts';
import { requireModelAllowed } from '../../../../domain/origins.ts';
import type { AppEnv } from '../../../context.ts';
import { inferenceRoute } from '../../../openapi.ts';
import { getInferResponse } from '../../../views/infer-get.ts';

export const versionInferRoute = inferenceRoute({
  method: 'get',
  path: '/v1/models/{model}/versions/{version}/infer',
  operationId: 'inferVersion',
  summary: 'Run one version on one short text given in the URL: cacheable (the edge answers repeats; browsers keep it a day)',
  tags: ['inference'],
  request: {
    params: VersionParams,
    query: InferQuery,
    headers: IfNoneMatchHeaders,
  },
  errors: [...MODEL_RUN_ERRORS],
  responses: {
    200: {
      description: 'the result (Cache-Control: private, max-age=86400, immutable)',
      headers: CACHE_HEADERS,
      content: { 'application/json': { schema: InferResponse } },
    },
    304: { description: 'the ETag is that of this answer', headers: { etag: CACHE_HEADERS.etag } },
  },
});

export const registerVersionInfer = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(versionInferRoute, async (c) => {
    const { model, version } = c.req.valid('param');
    if (c.var.caller.models) requireModelAllowed(c.var.caller.models, model, { version });
    const usage = { operation: 'infer', model, items: 1 };
    c.set('usage', usage);
    const { tasks, ...query } = c.req.valid('query');
    const want = { ...query, version, tasks: tasks?.split(','), ifNoneMatch: c.req.valid('header')['if-none-match'] };
    const answer = await inferByGet(
      c.env,
      c.var.db,
      c.var.caller.tenantId,
      model,
      want,
      usage,
      (p) => c.executionCtx.waitUntil(p),
      c.var.startedAt,
    );
    return getInferResponse(c, answer, true) as never;
  });

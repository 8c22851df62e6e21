import type { OpenAPIHono } from '@hono/zod-openapi';
import { InferResponse, MODEL_RUN_ERRORS } from '../../../../../schemas/api/infer.ts';
import { AliasInferQuery, CACHE_HEADERS, IfNoneMatchHeaders } from '../../../../../schemas/api/infer-get.ts';
import { ModelParams } from '../../../../../schemas/api/models.ts';
import { inferByGet } from '../../../../domain/cached-inference.ts';
import { requireModelAllowed } from '../../../../domain/origins.ts';
import type { AppEnv } from '../../../context.ts';
import { inferenceRoute } from '../../../openapi.ts';
import { getInferResponse } from '../../../views/infer-get.ts';

export const getInferRoute = inferenceRoute({
  method: 'get',
  path: '/v1/models/{model}/infer',
  operationId: 'inferGet',
  summary: 'Run a model on one short text given in the URL, through an alias; revalidate with If-None-Match',
  tags: ['inference'],
  request: {
    params: ModelParams,
    query: AliasInferQuery,
    headers: IfNoneMatchHeaders,
  },
  errors: [...MODEL_RUN_ERRORS, 'alias-not-found'],
  responses: {
    200: {
      description: 'the result (Cache-Control: private, no-cache)',
      headers: CACHE_HEADERS,
      content: { 'application/json': { schema: InferResponse } },
    },
    304: { description: 'the alias still picks the version that gave the ETag', headers: { etag: CACHE_HEADERS.etag } },
  },
});

export const registerGetInfer = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(getInferRoute, async (c) => {
    const { model } = c.req.valid('param');
    const { tasks, ...query } = c.req.valid('query');
    if (c.var.caller.models) requireModelAllowed(c.var.caller.models, model, query);
    const usage = { operation: 'infer', model, items: 1 };
    c.set('usage', usage);
    const want = { ...query, tasks: tasks?.split(','), ifNoneMatch: c.req.valid('header')['if-none-match'] };
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
    return getInferResponse(c, answer, false) as never;
  });

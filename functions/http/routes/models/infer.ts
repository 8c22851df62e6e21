import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { InferBody, InferResponse, MODEL_RUN_ERRORS } from '../../../../schemas/api/infer.ts';
import { ModelParams } from '../../../../schemas/api/models.ts';
import { inferCached } from '../../../domain/answer-cache.ts';
import { requireModelAllowed } from '../../../domain/origins.ts';
import type { UsageDraft } from '../../../domain/usage/record.ts';
import type { AppEnv } from '../../context.ts';
import { inferenceRoute } from '../../openapi.ts';
import { loadServerTiming } from '../../views/server-timing.ts';

export const inferRoute = inferenceRoute({
  method: 'post',
  path: '/v1/models/{model}/infer',
  operationId: 'infer',
  summary: 'Run a model on 1..N inputs, with any subset of its task heads',
  tags: ['inference'],
  request: {
    params: ModelParams,
    headers: z.object({
      'x-chimera-routing-key': z
        .string()
        .max(200)
        .optional()
        .openapi({ description: 'sticky canary routing: one key always gets the same version of an alias' }),
      'cache-control': z.string().max(200).optional().openapi({
        description:
          "opt in to the edge cache: with max-age=N (N > 0, and no no-store or no-cache) and a body that pins `version`, an identical earlier request's answer up to N seconds old is returned (billed like a run); without a pinned version the answer says x-chimera-cache: bypass",
        example: 'max-age=86400',
      }),
    }),
    body: { required: true, content: { 'application/json': { schema: InferBody } } },
  },
  errors: [...MODEL_RUN_ERRORS, 'alias-not-found', 'too-many-inputs'],
  responses: {
    200: {
      description: 'one result per input and task',
      headers: {
        'x-chimera-cache': {
          schema: { type: 'string', enum: ['hit', 'miss', 'bypass'] },
          description: 'sent when the request opted in with Cache-Control: max-age',
        },
        'server-timing': {
          schema: { type: 'string' },
          description: 'on a cold start: where the load went (load, load-read, load-session, load-warm), in ms',
        },
      },
      content: { 'application/json': { schema: InferResponse } },
    },
  },
});

/** The seconds a reused answer may be old: max-age=N (N > 0) opts in; no-store and
 * no-cache (use nothing stored without revalidating) win. */
function cacheMaxAge(header: string | undefined): number | undefined {
  if (!header || /(^|[\s,])no-(store|cache)\b/i.test(header)) return undefined;
  const seconds = Number(/(?:^|[\s,])max-age=(\d{1,10})\b/i.exec(header)?.[1] ?? 0);
  return seconds > 0 ? seconds : undefined;
}

export const registerInfer = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(inferRoute, async (c) => {
    const { model: name } = c.req.valid('param');
    const body = c.req.valid('json');
    if (c.var.caller.models) requireModelAllowed(c.var.caller.models, name, body);
    const usage: UsageDraft = { operation: 'infer', model: name, items: body.inputs.length };
    c.set('usage', usage);
    const headers = c.req.valid('header');
    const { version, result, loaded, cache } = await inferCached(
      c.env,
      c.var.db,
      c.var.caller.tenantId,
      name,
      { ...body, routingKey: headers['x-chimera-routing-key'] },
      usage,
      (p) => c.executionCtx.waitUntil(p),
      cacheMaxAge(headers['cache-control']),
    );
    if (cache) c.header('x-chimera-cache', cache);
    if (loaded) c.header('server-timing', loadServerTiming(loaded));
    return c.json(
      {
        model: name,
        version: version.number,
        alias: version.alias,
        backend: result.backend,
        results: result.results,
        usage: { items: body.inputs.length, input_tokens: result.inputTokens },
        timing: {
          total_ms: performance.now() - c.var.startedAt,
          tokenize_ms: result.tokenizeMs,
          run_ms: result.runMs,
          load_ms: loaded ? loaded.loadMs : null,
        },
      },
      200,
    );
  });

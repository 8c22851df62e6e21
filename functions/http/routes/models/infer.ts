import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { InferBody, InferResponse, MODEL_RUN_ERRORS } from '../../../../schemas/api/infer.ts';
import { ModelParams } from '../../../../schemas/api/models.ts';
import { runInference } from '../../../domain/inference.ts';
import { requireModelAllowed } from '../../../domain/origins.ts';
import type { UsageDraft } from '../../../domain/usage/record.ts';
import type { AppEnv } from '../../context.ts';
import { inferenceRoute } from '../../openapi.ts';

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
    }),
    body: { required: true, content: { 'application/json': { schema: InferBody } } },
  },
  errors: [...MODEL_RUN_ERRORS, 'alias-not-found', 'too-many-inputs'],
  responses: { 200: { description: 'one result per input and task', content: { 'application/json': { schema: InferResponse } } } },
});

export const registerInfer = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(inferRoute, async (c) => {
    const { model: name } = c.req.valid('param');
    const body = c.req.valid('json');
    if (c.var.caller.models) requireModelAllowed(c.var.caller.models, name, body);
    const usage: UsageDraft = { operation: 'infer', model: name, items: body.inputs.length };
    c.set('usage', usage);
    const routingKey = c.req.valid('header')['x-chimera-routing-key'];
    const { version, result, loaded } = await runInference(
      c.env,
      c.var.db,
      c.var.caller.tenantId,
      name,
      { ...body, routingKey },
      usage,
      (p) => c.executionCtx.waitUntil(p),
    );
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

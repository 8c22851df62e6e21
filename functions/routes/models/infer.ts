import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { ModelError } from '../../../models/errors.ts';
import { infer } from '../../../models/runtime.ts';
import { InferBody, InferResponse } from '../../../schemas/api/infer.ts';
import { ModelParams } from '../../../schemas/api/models.ts';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { requireKey } from '../../auth.ts';
import { limits } from '../../config.ts';
import type { AppEnv } from '../../context.ts';
import { getModel } from '../../loaded-models.ts';
import { ApiError } from '../../problem.ts';
import { findModel, resolveVersion } from '../../registry.ts';

export const inferRoute = createRoute({
  method: 'post',
  path: '/v1/models/{model}/infer',
  summary: 'Run a model on 1..N inputs, with any subset of its task heads',
  tags: ['inference'],
  security: [{ bearer: [] }],
  middleware: [requireKey('infer')] as const,
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
  responses: {
    200: { description: 'one result per input and task', content: { 'application/json': { schema: InferResponse } } },
    401: problemResponse('missing or unknown API key'),
    404: problemResponse('unknown model, version, alias or task'),
    413: problemResponse('body or input count over the limit'),
    422: problemResponse('invalid request body or inputs that do not fit the model'),
    502: problemResponse('the stored model failed its integrity check'),
    503: problemResponse('the model cannot be loaded right now'),
  },
});

export const registerInfer = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(inferRoute, async (c) => {
    const started = c.get('startedAt');
    const { model: name } = c.req.valid('param');
    const body = c.req.valid('json');
    const limit = limits(c.env);
    c.set('usage', { operation: 'infer', model: name, items: body.inputs.length });

    if (body.inputs.length > limit.maxInputs) {
      throw new ApiError(
        413,
        'too-many-inputs',
        `${body.inputs.length} inputs; at most ${limit.maxInputs} per request (use a batch job for more)`,
      );
    }
    const long = body.inputs.findIndex((i) => typeof i === 'string' && i.length > limit.maxTextChars);
    if (long >= 0) {
      throw new ApiError(
        422,
        'text-too-long',
        `inputs[${long}] has ${(body.inputs[long] as string).length} characters; at most ${limit.maxTextChars}`,
        { errors: [{ path: `inputs.${long}`, message: `longer than ${limit.maxTextChars} characters` }] },
      );
    }

    const db = drizzle(c.env.DB);
    const model = await findModel(db, c.get('caller')!.tenantId, name, limit.cacheTtlMs);
    const routingKey = c.req.header('x-chimera-routing-key');
    const version = await resolveVersion(db, model, { ...body, routingKey }, limit.cacheTtlMs);
    const known = Object.keys(version.manifest.tasks);
    const tasks = body.tasks ?? known;
    c.set('usage', { operation: 'infer', model: name, version: version.number, tasks, items: body.inputs.length });
    const unknown = tasks.filter((t) => !known.includes(t));
    if (unknown.length) {
      throw new ApiError(
        404,
        'task-not-found',
        `model "${name}" v${version.number} has no task ${unknown.map((t) => `"${t}"`).join(', ')}; it has ${known.join(', ')}`,
      );
    }

    const { model: loaded, cold } = await getModel(c.env, version);
    let result: Awaited<ReturnType<typeof infer>>;
    try {
      result = await infer(loaded, body.inputs, [...new Set(tasks)]);
    } catch (e) {
      if (e instanceof ModelError) throw new ApiError(422, 'bad-inputs', e.message);
      throw e;
    }
    c.set('usage', {
      operation: 'infer',
      model: name,
      version: version.number,
      tasks,
      items: body.inputs.length,
      inputTokens: result.inputTokens,
      backend: result.backend,
    });
    return c.json(
      {
        model: name,
        version: version.number,
        alias: version.alias,
        backend: result.backend,
        results: result.results,
        usage: { items: body.inputs.length, input_tokens: result.inputTokens },
        timing: {
          total_ms: performance.now() - started,
          tokenize_ms: result.tokenizeMs,
          run_ms: result.runMs,
          load_ms: cold ? loaded.loadMs : null,
        },
      },
      200,
    );
  });

import type { OpenAPIHono } from '@hono/zod-openapi';
import { EmbeddingsRequest, EmbeddingsResponse } from '../../../../schemas/api/openai.ts';
import { createEmbeddings } from '../../../domain/openai/embeddings.ts';
import type { UsageDraft } from '../../../domain/usage/record.ts';
import type { AppEnv } from '../../context.ts';
import { openAiHook } from '../../openai/errors.ts';
import { openAiRoute } from '../../openai/route.ts';

export const embeddingsRoute = openAiRoute(
  'infer',
  {
    method: 'post',
    path: '/openai/v1/embeddings',
    operationId: 'createEmbeddings',
    summary: "Embed texts with a model's embedding task (a publishable key may call it for its models)",
    request: { body: { required: true, content: { 'application/json': { schema: EmbeddingsRequest } } } },
    responses: { 200: { description: 'one vector per input, in order', content: { 'application/json': { schema: EmbeddingsResponse } } } },
  },
  { publishable: true },
);

export const registerEmbeddings = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(
    embeddingsRoute,
    async (c) => {
      const usage: UsageDraft = { operation: 'embeddings' };
      c.set('usage', usage);
      const out = await createEmbeddings(c.env, c.var.db, c.var.caller, c.req.valid('json'), usage, (p) => c.executionCtx.waitUntil(p));
      return c.json(out, 200);
    },
    openAiHook,
  );

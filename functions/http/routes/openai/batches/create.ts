import type { OpenAPIHono } from '@hono/zod-openapi';
import { CreateOpenAiBatch, OpenAiBatch } from '../../../../../schemas/api/openai.ts';
import { createOpenAiBatch, openAiBatchView } from '../../../../domain/openai/batches.ts';
import type { AppEnv } from '../../../context.ts';
import { openAiHook } from '../../../openai/errors.ts';
import { openAiRoute } from '../../../openai/route.ts';

export const openAiCreateBatchRoute = openAiRoute('batches', {
  method: 'post',
  path: '/openai/v1/batches',
  operationId: 'createOpenAiBatch',
  summary: "Run an uploaded file of /v1/embeddings requests as a batch (its first line's model, for every line)",
  request: { body: { required: true, content: { 'application/json': { schema: CreateOpenAiBatch } } } },
  responses: { 200: { description: 'the batch, validating', content: { 'application/json': { schema: OpenAiBatch } } } },
});

export const registerOpenAiCreateBatch = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(
    openAiCreateBatchRoute,
    async (c) => {
      c.set('usage', { operation: 'batch.create' });
      const batch = await createOpenAiBatch(c.env, c.var.db, c.var.caller.tenantId, c.req.valid('json'));
      return c.json(await openAiBatchView(c.var.db, batch), 200);
    },
    openAiHook,
  );

import type { OpenAPIHono } from '@hono/zod-openapi';
import { OpenAiBatch, OpenAiBatchParams } from '../../../../../schemas/api/openai.ts';
import { findOpenAiBatch, openAiBatchView } from '../../../../domain/openai/batches.ts';
import type { AppEnv } from '../../../context.ts';
import { openAiHook } from '../../../openai/errors.ts';
import { openAiRoute } from '../../../openai/route.ts';

export const openAiGetBatchRoute = openAiRoute('batches', {
  method: 'get',
  path: '/openai/v1/batches/{batch_id}',
  operationId: 'getOpenAiBatch',
  summary: 'A batch: status, request_counts, and its output and error files once it ends',
  request: { params: OpenAiBatchParams },
  responses: { 200: { description: 'the batch', content: { 'application/json': { schema: OpenAiBatch } } } },
});

export const registerOpenAiGetBatch = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(
    openAiGetBatchRoute,
    async (c) =>
      c.json(await openAiBatchView(c.var.db, await findOpenAiBatch(c.var.db, c.var.caller.tenantId, c.req.valid('param').batch_id)), 200),
    openAiHook,
  );

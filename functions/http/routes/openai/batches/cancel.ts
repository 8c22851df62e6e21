import type { OpenAPIHono } from '@hono/zod-openapi';
import { OpenAiBatch, OpenAiBatchParams } from '../../../../../schemas/api/openai.ts';
import { cancelOpenAiBatch, openAiBatchView } from '../../../../domain/openai/batches.ts';
import type { AppEnv } from '../../../context.ts';
import { openAiHook } from '../../../openai/errors.ts';
import { openAiRoute } from '../../../openai/route.ts';

export const openAiCancelBatchRoute = openAiRoute('batches', {
  method: 'post',
  path: '/openai/v1/batches/{batch_id}/cancel',
  operationId: 'cancelOpenAiBatch',
  summary: 'Cancel a batch: requests not yet run are skipped; its output so far stays readable',
  request: { params: OpenAiBatchParams },
  responses: { 200: { description: 'the batch, cancelled', content: { 'application/json': { schema: OpenAiBatch } } } },
});

export const registerOpenAiCancelBatch = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(
    openAiCancelBatchRoute,
    async (c) =>
      c.json(
        await openAiBatchView(c.var.db, await cancelOpenAiBatch(c.env, c.var.db, c.var.caller.tenantId, c.req.valid('param').batch_id)),
        200,
      ),
    openAiHook,
  );

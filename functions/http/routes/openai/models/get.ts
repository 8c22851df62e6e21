import type { OpenAPIHono } from '@hono/zod-openapi';
import { OpenAiModel, OpenAiModelParams } from '../../../../../schemas/api/openai.ts';
import { ApiError } from '../../../../../schemas/api/problems.ts';
import { listOpenAiModels } from '../../../../domain/openai/models.ts';
import type { AppEnv } from '../../../context.ts';
import { openAiHook } from '../../../openai/errors.ts';
import { openAiRoute } from '../../../openai/route.ts';

export const openAiGetModelRoute = openAiRoute('infer', {
  method: 'get',
  path: '/openai/v1/models/{model}',
  operationId: 'getOpenAiModel',
  summary: 'One model (or model@alias) as listed',
  request: { params: OpenAiModelParams },
  responses: { 200: { description: 'the model', content: { 'application/json': { schema: OpenAiModel } } } },
});

export const registerOpenAiGetModel = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(
    openAiGetModelRoute,
    async (c) => {
      const { model } = c.req.valid('param');
      const found = (await listOpenAiModels(c.var.db, c.var.caller.tenantId)).find((m) => m.id === model);
      if (!found) throw new ApiError('model-not-found', `no model "${model}"`);
      return c.json(found, 200);
    },
    openAiHook,
  );

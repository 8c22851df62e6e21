import type { OpenAPIHono } from '@hono/zod-openapi';
import { OpenAiModelList } from '../../../../../schemas/api/openai.ts';
import { listOpenAiModels } from '../../../../domain/openai/models.ts';
import type { AppEnv } from '../../../context.ts';
import { openAiHook } from '../../../openai/errors.ts';
import { openAiRoute } from '../../../openai/route.ts';

export const openAiListModelsRoute = openAiRoute('infer', {
  method: 'get',
  path: '/openai/v1/models',
  operationId: 'listOpenAiModels',
  summary: 'The models you can call (public and your own), and their aliases other than prod as model@alias',
  responses: { 200: { description: 'models', content: { 'application/json': { schema: OpenAiModelList } } } },
});

export const registerOpenAiListModels = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(
    openAiListModelsRoute,
    async (c) => c.json({ object: 'list' as const, data: await listOpenAiModels(c.var.db, c.var.caller.tenantId) }, 200),
    openAiHook,
  );

import type { OpenAPIHono } from '@hono/zod-openapi';
import { ListQuery, OpenAiBatchList } from '../../../../../schemas/api/openai.ts';
import { listOpenAiBatches } from '../../../../domain/openai/batches.ts';
import type { AppEnv } from '../../../context.ts';
import { openAiHook } from '../../../openai/errors.ts';
import { openAiRoute } from '../../../openai/route.ts';

export const openAiListBatchesRoute = openAiRoute('batches', {
  method: 'get',
  path: '/openai/v1/batches',
  operationId: 'listOpenAiBatches',
  summary: 'Your OpenAI-format batches, newest first',
  request: { query: ListQuery },
  responses: { 200: { description: 'a page of batches', content: { 'application/json': { schema: OpenAiBatchList } } } },
});

export const registerOpenAiListBatches = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(
    openAiListBatchesRoute,
    async (c) => {
      const { limit, after } = c.req.valid('query');
      return c.json(await listOpenAiBatches(c.var.db, c.var.caller.tenantId, limit, after), 200);
    },
    openAiHook,
  );

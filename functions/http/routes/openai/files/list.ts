import type { OpenAPIHono } from '@hono/zod-openapi';
import { ListQuery, OpenAiFileList } from '../../../../../schemas/api/openai.ts';
import { listOpenAiFiles } from '../../../../domain/openai/files.ts';
import type { AppEnv } from '../../../context.ts';
import { openAiHook } from '../../../openai/errors.ts';
import { openAiRoute } from '../../../openai/route.ts';

export const openAiListFilesRoute = openAiRoute('batches', {
  method: 'get',
  path: '/openai/v1/files',
  operationId: 'listOpenAiFiles',
  summary: 'Your uploaded batch files, newest first',
  request: { query: ListQuery },
  responses: { 200: { description: 'a page of files', content: { 'application/json': { schema: OpenAiFileList } } } },
});

export const registerOpenAiListFiles = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(
    openAiListFilesRoute,
    async (c) => {
      const { limit, after } = c.req.valid('query');
      return c.json(await listOpenAiFiles(c.env, c.var.db, c.var.caller.tenantId, limit, after), 200);
    },
    openAiHook,
  );

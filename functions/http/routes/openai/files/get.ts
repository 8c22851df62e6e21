import type { OpenAPIHono } from '@hono/zod-openapi';
import { OpenAiFile, OpenAiFileParams } from '../../../../../schemas/api/openai.ts';
import { getOpenAiFile } from '../../../../domain/openai/files.ts';
import type { AppEnv } from '../../../context.ts';
import { openAiHook } from '../../../openai/errors.ts';
import { openAiRoute } from '../../../openai/route.ts';

export const openAiGetFileRoute = openAiRoute('batches', {
  method: 'get',
  path: '/openai/v1/files/{file_id}',
  operationId: 'getOpenAiFile',
  summary: "A file: an upload, or an ended batch's output or error file",
  request: { params: OpenAiFileParams },
  responses: { 200: { description: 'the file', content: { 'application/json': { schema: OpenAiFile } } } },
});

export const registerOpenAiGetFile = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(
    openAiGetFileRoute,
    async (c) => c.json(await getOpenAiFile(c.env, c.var.db, c.var.caller.tenantId, c.req.valid('param').file_id), 200),
    openAiHook,
  );

import type { OpenAPIHono } from '@hono/zod-openapi';
import { OpenAiFileParams } from '../../../../../schemas/api/openai.ts';
import { openAiFileContent } from '../../../../domain/openai/files.ts';
import type { AppEnv } from '../../../context.ts';
import { openAiHook } from '../../../openai/errors.ts';
import { openAiRoute } from '../../../openai/route.ts';

export const openAiFileContentRoute = openAiRoute('batches', {
  method: 'get',
  path: '/openai/v1/files/{file_id}/content',
  operationId: 'getOpenAiFileContent',
  summary: "A file's bytes: JSON Lines (a batch's output lines are OpenAI's, one per request that ran)",
  request: { params: OpenAiFileParams },
  responses: { 200: { description: 'JSON Lines', content: { 'application/x-ndjson': { schema: { type: 'string' } } } } },
});

export const registerOpenAiFileContent = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(
    openAiFileContentRoute,
    async (c) => {
      const body = await openAiFileContent(c.env, c.var.db, c.var.caller.tenantId, c.req.valid('param').file_id);
      return new Response(body, { headers: { 'content-type': 'application/x-ndjson' } }) as never;
    },
    openAiHook,
  );

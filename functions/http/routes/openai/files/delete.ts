import type { OpenAPIHono } from '@hono/zod-openapi';
import { OpenAiDeleted, OpenAiFileParams } from '../../../../../schemas/api/openai.ts';
import { deleteOpenAiFile } from '../../../../domain/openai/files.ts';
import type { AppEnv } from '../../../context.ts';
import { openAiHook } from '../../../openai/errors.ts';
import { openAiRoute } from '../../../openai/route.ts';

export const openAiDeleteFileRoute = openAiRoute('batches', {
  method: 'delete',
  path: '/openai/v1/files/{file_id}',
  operationId: 'deleteOpenAiFile',
  summary: 'Delete an uploaded file (batches already reading it keep their chunks)',
  request: { params: OpenAiFileParams },
  responses: { 200: { description: 'deleted', content: { 'application/json': { schema: OpenAiDeleted } } } },
});

export const registerOpenAiDeleteFile = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(
    openAiDeleteFileRoute,
    async (c) => c.json(await deleteOpenAiFile(c.env, c.var.db, c.var.caller.tenantId, c.req.valid('param').file_id), 200),
    openAiHook,
  );

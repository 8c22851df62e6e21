import type { OpenAPIHono } from '@hono/zod-openapi';
import { OpenAiFile } from '../../../../../schemas/api/openai.ts';
import { MAX_FILE_BYTES } from '../../../../domain/batches/files.ts';
import { uploadOpenAiFile } from '../../../../domain/openai/files.ts';
import type { AppEnv } from '../../../context.ts';
import { openAiHook } from '../../../openai/errors.ts';
import { openAiRoute } from '../../../openai/route.ts';

export const openAiCreateFileRoute = openAiRoute('batches', {
  method: 'post',
  path: '/openai/v1/files',
  operationId: 'createOpenAiFile',
  summary: 'Upload a batch input file (multipart: file, purpose "batch"), streamed to storage',
  request: {
    body: {
      required: true,
      description: `JSON Lines of /v1/embeddings requests, UTF-8, at most ${MAX_FILE_BYTES} bytes; counted against your storage quota`,
      // documented only: the body is read as a stream (functions/infra/multipart.ts), never buffered
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['file', 'purpose'],
            properties: {
              file: { type: 'string', contentMediaType: 'application/octet-stream' },
              purpose: { type: 'string', enum: ['batch'] },
            },
          },
        },
      },
    },
  },
  responses: { 200: { description: 'the file', content: { 'application/json': { schema: OpenAiFile } } } },
});

export const registerOpenAiCreateFile = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(
    openAiCreateFileRoute,
    async (c) => {
      c.set('usage', { operation: 'file.upload' });
      return c.json(await uploadOpenAiFile(c.env, c.var.db, c.var.caller.tenantId, c.req.raw.body, c.req.header('content-type')), 200);
    },
    openAiHook,
  );

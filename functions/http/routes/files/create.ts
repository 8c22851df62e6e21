import type { OpenAPIHono } from '@hono/zod-openapi';
import { FileObject } from '../../../../schemas/api/batches.ts';
import { createFile, MAX_FILE_BYTES } from '../../../domain/batches/files.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';
import { iso } from '../../views/time.ts';

export const createFileRoute = authedRoute('batches', {
  method: 'post',
  path: '/v1/files',
  operationId: 'createFile',
  summary: 'Upload a JSONL input file (the raw body, streamed to storage)',
  tags: ['batches'],
  request: {
    body: {
      required: true,
      description: `JSON Lines, UTF-8, at most ${MAX_FILE_BYTES} bytes: one BatchInput ({"custom_id", "input"}) per line; a line that is not one becomes an error line of the batch`,
      // raw text, not a JSON value: generated clients take a string, Blob or stream
      content: { 'application/x-ndjson': { schema: { contentMediaType: 'application/x-ndjson' } } },
    },
  },
  errors: ['file-too-large', 'empty-body', 'bad-encoding', 'storage-quota'],
  responses: { 201: { description: 'the file', content: { 'application/json': { schema: FileObject } } } },
});

export const registerCreateFile = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(createFileRoute, async (c) => {
    c.set('usage', { operation: 'file.upload' });
    const file = await createFile(c.env, c.var.db, c.var.caller.tenantId, c.req.raw.body);
    return c.json({ id: file.id, bytes: file.bytes, lines: file.lines, created_at: iso(file.createdAt) }, 201);
  });

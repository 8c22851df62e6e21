import type { OpenAPIHono } from '@hono/zod-openapi';
import { FileObject } from '../../../../schemas/api/batches.ts';
import { createFile } from '../../../domain/batches/files.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';
import { iso } from '../../views/time.ts';

export const createFileRoute = authedRoute('batches', {
  method: 'post',
  path: '/v1/files',
  operationId: 'createFile',
  summary: 'Upload a JSONL input file (the raw body, streamed to storage)',
  tags: ['batches'],
  errors: ['file-too-large', 'empty-body'],
  responses: { 201: { description: 'the file', content: { 'application/json': { schema: FileObject } } } },
});

export const registerCreateFile = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(createFileRoute, async (c) => {
    c.set('usage', { operation: 'file.upload' });
    const file = await createFile(c.env, c.var.db, c.var.caller.tenantId, c.req.raw.body);
    return c.json({ id: file.id, bytes: file.bytes, lines: file.lines, created_at: iso(file.createdAt) }, 201);
  });

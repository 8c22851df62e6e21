import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { FileObject } from '../../../schemas/api/batches.ts';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { files } from '../../../schemas/db/schema.ts';
import { requireKey } from '../../auth.ts';
import { batchKeys } from '../../batches.ts';
import { HashedMultipart } from '../../blob-upload.ts';
import type { AppEnv } from '../../context.ts';
import { ApiError } from '../../problem.ts';

const MAX_FILE_BYTES = 64 << 20;

export const createFileRoute = createRoute({
  method: 'post',
  path: '/v1/files',
  summary: 'Upload a JSONL input file (the raw body, streamed to storage)',
  tags: ['batches'],
  security: [{ bearer: [] }],
  middleware: [requireKey('batches')] as const,
  responses: {
    201: { description: 'the file', content: { 'application/json': { schema: FileObject } } },
    401: problemResponse('missing or unknown API key'),
    413: problemResponse('over 64 MiB'),
    422: problemResponse('an empty body'),
  },
});

export const registerCreateFile = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(createFileRoute, async (c) => {
    const body = c.req.raw.body;
    if (!body) throw new ApiError(422, 'empty-body', 'send the JSONL file as the request body');
    c.set('usage', { operation: 'file.upload' });
    const id = crypto.randomUUID();
    const out = new HashedMultipart(await c.env.MODELS.createMultipartUpload(batchKeys.file(id)));
    let lines = 0,
      last = 10;
    try {
      const reader = body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (out.bytes + value.length > MAX_FILE_BYTES)
          throw new ApiError(413, 'file-too-large', `files are at most ${MAX_FILE_BYTES} bytes`);
        for (const b of value) if (b === 10) lines++;
        if (value.length) last = value[value.length - 1]!;
        await out.write(value);
      }
      if (out.bytes === 0) throw new ApiError(422, 'empty-body', 'the file is empty');
      await out.finish();
      await out.complete();
    } catch (e) {
      await out.abort();
      throw e;
    }
    if (last !== 10) lines++; // a last line without its newline
    const row = { id, tenantId: c.get('caller')!.tenantId, bytes: out.bytes, lines };
    const [created] = await drizzle(c.env.DB).insert(files).values(row).returning();
    return c.json({ id, bytes: out.bytes, lines, created_at: new Date(created!.createdAt).toISOString() }, 201);
  });

import type { OpenAPIHono } from '@hono/zod-openapi';
import { BatchErrorLine, BatchParams } from '../../../../schemas/api/batches.ts';
import { findBatch } from '../../../domain/batches/find.ts';
import { errorLines } from '../../../domain/batches/storage.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';

export const batchErrorsRoute = authedRoute('batches', {
  method: 'get',
  path: '/v1/batches/{id}/errors',
  operationId: 'getBatchErrors',
  summary: 'Error lines (JSONL): malformed input lines, then inputs that failed',
  tags: ['batches'],
  request: { params: BatchParams },
  errors: ['batch-not-found'],
  responses: {
    200: {
      description: 'JSON Lines: one BatchErrorLine per malformed input line, then per input that failed (the schema is that of each line)',
      content: { 'application/x-ndjson': { schema: BatchErrorLine } },
    },
  },
});

export const registerBatchErrors = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(batchErrorsRoute, async (c) => {
    const batch = await findBatch(c.var.db, c.var.caller.tenantId, c.req.valid('param').id);
    return new Response(errorLines(c.env.MODELS, batch), { headers: { 'content-type': 'application/x-ndjson' } }) as never;
  });

import type { OpenAPIHono } from '@hono/zod-openapi';
import { BatchParams, BatchResultLine } from '../../../../schemas/api/batches.ts';
import { ApiError } from '../../../../schemas/api/problems.ts';
import { findBatch } from '../../../domain/batches/find.ts';
import { resultLines } from '../../../domain/batches/storage.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';

export const batchResultsRoute = authedRoute('batches', {
  method: 'get',
  path: '/v1/batches/{id}/results',
  operationId: 'getBatchResults',
  summary: 'Result lines (JSONL, one per input in input order, with custom_id)',
  tags: ['batches'],
  request: { params: BatchParams },
  errors: ['batch-not-found', 'batch-running'],
  responses: {
    200: {
      description: 'JSON Lines: one BatchResultLine per input that ran, in input order (the schema is that of each line)',
      content: { 'application/x-ndjson': { schema: BatchResultLine } },
    },
  },
});

export const registerBatchResults = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(batchResultsRoute, async (c) => {
    const batch = await findBatch(c.var.db, c.var.caller.tenantId, c.req.valid('param').id);
    if (batch.status === 'validating' || batch.status === 'queued' || batch.status === 'running') {
      throw new ApiError('batch-running', `batch "${batch.id}" is ${batch.status}; results come when it ends`);
    }
    return new Response(resultLines(c.env.MODELS, batch), { headers: { 'content-type': 'application/x-ndjson' } }) as never;
  });

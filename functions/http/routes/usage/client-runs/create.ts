import type { OpenAPIHono } from '@hono/zod-openapi';
import { ClientRuns, ClientRunsAccepted } from '../../../../../schemas/api/usage.ts';
import { recordClientRuns } from '../../../../domain/usage/client.ts';
import type { AppEnv } from '../../../context.ts';
import { authedRoute } from '../../../openapi.ts';

export const createClientRunsRoute = authedRoute('infer', {
  method: 'post',
  path: '/v1/usage/client-runs',
  operationId: 'reportClientRuns',
  summary: 'Report runs made in the browser (client-reported, kept apart from metered usage)',
  description:
    'For runs of a package from GET /v1/models/{model}/package made on the caller’s own device. They are recorded under the operation `client.infer`, shown by GET /v1/usage?source=client, never billed and never counted against limits. Each run id is recorded once per key.',
  tags: ['usage'],
  request: { body: { required: true, content: { 'application/json': { schema: ClientRuns } } } },
  errors: ['model-not-found', 'version-not-found'],
  responses: {
    202: { description: 'the runs are queued for the record', content: { 'application/json': { schema: ClientRunsAccepted } } },
  },
});

export const registerCreateClientRuns = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(createClientRunsRoute, async (c) => {
    const { runs } = c.req.valid('json');
    const { sent } = await recordClientRuns(c.env, c.var.db, c.var.caller, c.var.requestId, runs);
    c.executionCtx.waitUntil(sent);
    return c.json({ accepted: runs.length }, 202);
  });

import type { OpenAPIHono } from '@hono/zod-openapi';
import { CreateTrigger, Trigger } from '../../../../schemas/api/triggers.ts';
import { createTrigger } from '../../../domain/triggers.ts';
import type { AppEnv } from '../../context.ts';
import { authedRoute } from '../../openapi.ts';
import { triggerView } from '../../views/webhooks.ts';

export const createTriggerRoute = authedRoute('batches', {
  method: 'post',
  path: '/v1/triggers',
  operationId: 'createTrigger',
  summary: 'An inbound hook that starts a batch when another system calls it',
  tags: ['webhooks'],
  request: { body: { required: true, content: { 'application/json': { schema: CreateTrigger } } } },
  errors: ['model-not-found', 'webhook-url', 'webhook-events'],
  responses: {
    201: { description: 'the trigger, with the secret its sender signs with', content: { 'application/json': { schema: Trigger } } },
  },
});

export const registerCreateTrigger = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(createTriggerRoute, async (c) =>
    c.json(triggerView(await createTrigger(c.env, c.var.db, c.var.caller.tenantId, c.req.valid('json'))), 201),
  );

import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { CreateTrigger, Trigger } from '../../../schemas/api/triggers.ts';
import { triggers } from '../../../schemas/db/schema.ts';
import { requireKey } from '../../auth.ts';
import type { AppEnv } from '../../context.ts';
import { findModel } from '../../registry.ts';
import { checkWebhook, newSecret } from '../../webhooks.ts';

export const triggerView = (t: typeof triggers.$inferSelect) => ({
  id: t.id,
  name: t.name,
  url: `/v1/hooks/${t.id}`,
  secret: t.secret,
  batch: t.batch,
  created_at: new Date(t.createdAt).toISOString(),
});

export const createTriggerRoute = createRoute({
  method: 'post',
  path: '/v1/triggers',
  summary: 'An inbound hook that starts a batch when another system calls it',
  tags: ['webhooks'],
  security: [{ bearer: [] }],
  middleware: [requireKey('batches')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: CreateTrigger } } } },
  responses: {
    201: { description: 'the trigger, with the secret its sender signs with', content: { 'application/json': { schema: Trigger } } },
    401: problemResponse('missing or unknown API key'),
    404: problemResponse('no such model'),
    422: problemResponse('an invalid request'),
  },
});

export const registerCreateTrigger = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(createTriggerRoute, async (c) => {
    const body = c.req.valid('json');
    const db = drizzle(c.env.DB);
    const tenantId = c.get('caller')!.tenantId;
    await findModel(db, tenantId, body.batch.model);
    await checkWebhook(c.env, body.batch.webhook);
    const [row] = await db
      .insert(triggers)
      .values({ id: `trg_${crypto.randomUUID().replaceAll('-', '')}`, tenantId, name: body.name, secret: newSecret(), batch: body.batch })
      .returning();
    return c.json(triggerView(row!), 201);
  });

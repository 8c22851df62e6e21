import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, inArray } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { CreateMerge, MergeJob } from '../../../schemas/api/merges.ts';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { merges, modelVersions } from '../../../schemas/db/schema.ts';
import { requireKey } from '../../auth.ts';
import type { AppEnv } from '../../context.ts';
import type { JobMessage } from '../../jobs/messages.ts';
import { mergeView } from '../../merge-jobs.ts';
import { findOwnModel } from '../../owned.ts';
import { ApiError } from '../../problem.ts';
import { checkWebhook } from '../../webhooks.ts';

export const createMergeRoute = createRoute({
  method: 'post',
  path: '/v1/merges',
  summary: 'Merge versions of your model into a new version (a queued job)',
  tags: ['merges'],
  security: [{ bearer: [] }],
  middleware: [requireKey('models:write')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: CreateMerge } } } },
  responses: {
    202: { description: 'queued', content: { 'application/json': { schema: MergeJob } } },
    401: problemResponse('missing or unknown API key'),
    403: problemResponse('a public model, or a key without models:write'),
    404: problemResponse('no such model or version'),
    422: problemResponse('an invalid request'),
  },
});

export const registerCreateMerge = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(createMergeRoute, async (c) => {
    const body = c.req.valid('json');
    const db = drizzle(c.env.DB);
    const caller = c.get('caller')!;
    c.set('usage', { operation: 'merge.create', model: body.model, items: body.experts.length });
    const model = await findOwnModel(db, caller.tenantId, body.model);
    await checkWebhook(c.env, body.webhook);
    const wanted = [...new Set([...(body.base ? [body.base] : []), ...body.experts.map((e) => e.version)])];
    const found = new Set(
      (
        await db
          .select({ n: modelVersions.number })
          .from(modelVersions)
          .where(and(eq(modelVersions.modelId, model.id), inArray(modelVersions.number, wanted)))
      ).map((r) => r.n),
    );
    const missing = wanted.filter((v) => !found.has(v));
    if (missing.length) throw new ApiError(404, 'version-not-found', `model "${body.model}" has no version ${missing.join(', ')}`);
    const [row] = await db
      .insert(merges)
      .values({ id: crypto.randomUUID(), tenantId: caller.tenantId, model: body.model, request: body, status: 'queued' })
      .returning();
    await c.env.JOBS.send({ kind: 'merge', id: row!.id } satisfies JobMessage);
    return c.json(mergeView(row!), 202);
  });

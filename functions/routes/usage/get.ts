import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { drizzle } from 'drizzle-orm/d1';
import { problemResponse } from '../../../schemas/api/problem.ts';
import { UsageQuery, UsageReport } from '../../../schemas/api/usage.ts';
import { requireKey } from '../../auth.ts';
import type { AppEnv } from '../../context.ts';
import { usageReport, window } from '../../usage-report.ts';

export const getUsageRoute = createRoute({
  method: 'get',
  path: '/v1/usage',
  summary: "Your tenant's usage, aggregated by day, model, version, task or operation",
  tags: ['usage'],
  security: [{ bearer: [] }],
  middleware: [requireKey('usage:read')] as const,
  request: { query: UsageQuery },
  responses: {
    200: { description: 'usage', content: { 'application/json': { schema: UsageReport } } },
    401: problemResponse('missing or unknown API key'),
    403: problemResponse('a key without usage:read'),
    422: problemResponse('bad query'),
  },
});

export const registerGetUsage = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(getUsageRoute, async (c) => {
    const q = c.req.valid('query');
    const { from, to } = window(q);
    const rows = await usageReport(drizzle(c.env.DB), { tenantId: c.get('caller')!.tenantId, from, to, groupBy: q.group_by });
    return c.json({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), group_by: q.group_by, rows }, 200);
  });

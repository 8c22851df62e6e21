// The API reference at /docs: Scalar's page over /openapi.json, with its script served by
// this Worker from its static assets (public/docs/, filled from the pinned npm package by
// scripts/docs-assets.ts), so the page works offline and behind networks that block CDNs.
// Nothing on it loads from another origin: no fonts, no telemetry, no proxy.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import { ApiError } from '../../schemas/api/problems.ts';
import type { AppEnv } from './context.ts';
import { problem } from './problem.ts';

export const DOCS_SCRIPT = '/docs/scalar.js';

export function registerDocs(app: OpenAPIHono<AppEnv>): void {
  app.get(
    '/docs',
    Scalar({
      url: '/openapi.json',
      pageTitle: 'Chimera API',
      cdn: DOCS_SCRIPT,
      withDefaultFonts: false,
      telemetry: false,
      // no hosted extras: the AI agent and the developer tools talk to scalar.com
      agent: { disabled: true },
      showDeveloperTools: 'never',
      defaultOpenFirstTag: true,
    }),
  );
  // Deployed and under wrangler dev the asset router answers /docs/* before the Worker
  // runs; a caller that reaches the Worker itself (tests call it directly) gets the same
  // bytes through the ASSETS binding.
  app.get('/docs/*', async (c) => {
    const res = await c.env.ASSETS?.fetch(c.req.raw);
    if (res && res.status !== 404) return res;
    return problem(c, new ApiError('not-found', `no reference asset at ${c.req.path}: run \`node scripts/docs-assets.ts\``));
  });
}

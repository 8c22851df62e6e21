// The app factory: middleware, the problem+json error handler, routes, OpenAPI and docs.
import { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { ApiError } from '../../schemas/api/problems.ts';
import { dbOf } from '../infra/db.ts';
import type { AppEnv } from './context.ts';
import { jsonBodyLimit } from './middleware/body-limit.ts';
import { usageRows } from './middleware/usage.ts';
import { problem } from './problem.ts';
import { registerRoutes } from './routes/index.ts';

export function createApp(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    // zod failures become one 422 listing every bad field
    defaultHook: (result, c) => {
      if (result.success) return;
      const errors = result.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
      const detail = `the request is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`;
      return problem(c, new ApiError('validation', detail, { errors }));
    },
  });

  app.use('*', requestId({ headerName: 'x-request-id' }));
  app.use('*', async (c, next) => {
    c.set('startedAt', performance.now());
    c.set('db', dbOf(c.env.DB));
    await next();
  });
  app.use('/v1/*', usageRows);
  app.use('/v1/*', jsonBodyLimit);
  registerRoutes(app);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'an API key: chm_…' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Chimera', version: '0.1.0', description: 'Multitask and merged models at the edge.' },
  });
  app.get('/docs', Scalar({ url: '/openapi.json', pageTitle: 'Chimera API' }));

  app.notFound((c) => problem(c, new ApiError('not-found', `no route for ${c.req.method} ${new URL(c.req.url).pathname}`)));
  app.onError((err, c) => {
    if (err instanceof ApiError) return problem(c, err);
    if (err instanceof HTTPException) {
      // Hono's own errors, e.g. a body that is not JSON
      const type = err.status === 413 ? 'body-too-large' : 'bad-request';
      return problem(c, new ApiError(type, err.message || 'the request could not be read'));
    }
    console.error(`request ${c.get('requestId')} failed:`, err);
    return problem(c, new ApiError('internal', `an unexpected error occurred; quote request id ${c.get('requestId')} when reporting it`));
  });
  return app;
}

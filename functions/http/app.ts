// The app factory: middleware, the problem+json error handler, routes, OpenAPI and docs.
import { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { ApiError } from '../../schemas/api/problems.ts';
import { dbOf } from '../infra/db.ts';
import type { AppEnv } from './context.ts';
import { registerDocs } from './docs.ts';
import { DOCUMENT, registerDocumentParts } from './document.ts';
import { allowedMethods } from './methods.ts';
import { anonymousLimit } from './middleware/anonymous-limit.ts';
import { requestBody } from './middleware/body.ts';
import { usageRows } from './middleware/usage.ts';
import { problem } from './problem.ts';
import { registerRoutes } from './routes/index.ts';

// Keys go in a header, never a cookie, so any origin may call the API from a browser
// (the SDK runs there) without exposing one site's credentials to another.
const apiCors = cors({
  origin: '*',
  allowHeaders: [
    'authorization',
    'content-type',
    'idempotency-key',
    'x-chimera-routing-key',
    'webhook-id',
    'webhook-timestamp',
    'webhook-signature',
  ],
  exposeHeaders: ['retry-after', 'x-request-id', 'allow'],
  maxAge: 86_400,
});

const DOCUMENT_PATH = '/openapi.json';

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
  app.use('*', anonymousLimit);
  app.use('/v1/*', apiCors);
  app.use(DOCUMENT_PATH, apiCors);
  app.use('/v1/*', usageRows);
  app.use('/v1/*', requestBody);
  registerRoutes(app);

  registerDocumentParts(app);
  app.doc31(DOCUMENT_PATH, DOCUMENT);
  registerDocs(app);

  const allowed = allowedMethods(
    () => app.routes,
    (path) => path.startsWith('/v1/') || path === DOCUMENT_PATH,
  );
  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    const allow = allowed(path);
    if (allow.length) {
      return problem(
        c,
        new ApiError('method-not-allowed', `${path} takes ${allow.join(', ')}, not ${c.req.method}`, {
          headers: { allow: allow.join(', ') },
        }),
      );
    }
    return problem(c, new ApiError('not-found', `no route for ${c.req.method} ${path}`));
  });
  app.onError((err, c) => {
    if (err instanceof ApiError) return problem(c, err);
    if (err instanceof HTTPException) {
      // Hono's own errors, e.g. a body that is not JSON
      const type = err.status === 413 ? 'body-too-large' : err.status === 415 ? 'unsupported-media-type' : 'bad-request';
      const detail =
        type === 'unsupported-media-type'
          ? `send the body as application/json (the content-type was ${c.req.header('content-type') ?? 'missing'})`
          : err.message || 'the request could not be read';
      return problem(c, new ApiError(type, detail));
    }
    console.error(`request ${c.get('requestId')} failed:`, err);
    return problem(c, new ApiError('internal', `an unexpected error occurred; quote request id ${c.get('requestId')} when reporting it`));
  });
  return app;
}

/** The OpenAPI document /openapi.json serves, built without a request (SDK generation, tests). */
export const openApiDocument = () => createApp().getOpenAPI31Document(DOCUMENT as Parameters<OpenAPIHono['getOpenAPI31Document']>[0]);

// The app factory: middleware, the problem+json error handler, routes, OpenAPI and docs.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { ApiError } from '../../schemas/api/problems.ts';
import { dbOf } from '../infra/db.ts';
import { registerConsole } from './console.ts';
import type { AppEnv } from './context.ts';
import { registerDocs } from './docs.ts';
import { DOCUMENT, registerDocumentParts } from './document.ts';
import { allowedMethods } from './methods.ts';
import { anonymousLimit } from './middleware/anonymous-limit.ts';
import { requestBody } from './middleware/body.ts';
import { cors, DOCUMENTS } from './middleware/cors.ts';
import { usageRows } from './middleware/usage.ts';
import { isOpenAiPath, openAiError } from './openai/errors.ts';
import { problem } from './problem.ts';
import { registerRoutes } from './routes/index.ts';

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
  // which methods a path takes: for 405s and preflights (read once every route is registered)
  const allowed = allowedMethods(
    () => app.routes,
    (path) => path.startsWith('/v1/') || path.startsWith('/openai/v1/') || DOCUMENTS.has(path),
  );
  app.use('*', anonymousLimit);
  // CORS by key and origin (middleware/cors.ts): pages on other origins read only what
  // the credentials they send allow them to
  app.use('*', cors(allowed));
  app.use('/v1/*', usageRows);
  app.use('/v1/*', requestBody);
  app.use('/openai/v1/*', usageRows);
  app.use('/openai/v1/*', requestBody);
  registerRoutes(app);

  registerDocumentParts(app);
  app.doc31(DOCUMENT_PATH, DOCUMENT);
  registerDocs(app);
  registerConsole(app);

  // the OpenAI-compatible surface answers errors in OpenAI's shape, the rest problem+json
  const fail = (c: Context, err: ApiError) => (isOpenAiPath(c.req.path) ? openAiError(c, err) : problem(c, err));
  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    const allow = allowed(path);
    if (allow.length) {
      return fail(
        c,
        new ApiError('method-not-allowed', `${path} takes ${allow.join(', ')}, not ${c.req.method}`, {
          headers: { allow: allow.join(', ') },
        }),
      );
    }
    return fail(c, new ApiError('not-found', `no route for ${c.req.method} ${path}`));
  });
  app.onError((err, c) => {
    if (err instanceof ApiError) return fail(c, err);
    if (err instanceof HTTPException) {
      // Hono's own errors, e.g. a body that is not JSON
      const type = err.status === 413 ? 'body-too-large' : err.status === 415 ? 'unsupported-media-type' : 'bad-request';
      const detail =
        type === 'unsupported-media-type'
          ? `send the body as application/json (the content-type was ${c.req.header('content-type') ?? 'missing'})`
          : err.message || 'the request could not be read';
      return fail(c, new ApiError(type, detail));
    }
    console.error(`request ${c.get('requestId')} failed:`, err);
    return fail(c, new ApiError('internal', `an unexpected error occurred; quote request id ${c.get('requestId')} when reporting it`));
  });
  return app;
}

/** The OpenAPI document /openapi.json serves, built without a request (SDK generation, tests). */
export const openApiDocument = () => createApp().getOpenAPI31Document(DOCUMENT as Parameters<OpenAPIHono['getOpenAPI31Document']>[0]);

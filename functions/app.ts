// The app factory: middleware, the problem+json error handler, routes, OpenAPI and docs.
import { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { limits } from './config.ts';
import type { AppEnv } from './context.ts';
import { ApiError, problem } from './problem.ts';
import { registerCreateKey } from './routes/admin/keys/create.ts';
import { registerListKeys } from './routes/admin/keys/list.ts';
import { registerRevokeKey } from './routes/admin/keys/revoke.ts';
import { registerRotateKey } from './routes/admin/keys/rotate.ts';
import { registerCreateTenant } from './routes/admin/tenants/create.ts';
import { registerListTenants } from './routes/admin/tenants/list.ts';
import { registerAdminUsage } from './routes/admin/usage.ts';
import { registerAliasHistory } from './routes/aliases/history.ts';
import { registerPutAlias } from './routes/aliases/put.ts';
import { registerRollbackAlias } from './routes/aliases/rollback.ts';
import { registerCancelBatch } from './routes/batches/cancel.ts';
import { registerCreateBatch } from './routes/batches/create.ts';
import { registerBatchErrors } from './routes/batches/errors.ts';
import { registerGetBatch } from './routes/batches/get.ts';
import { registerListBatches } from './routes/batches/list.ts';
import { registerBatchResults } from './routes/batches/results.ts';
import { registerCreateFile } from './routes/files/create.ts';
import { registerHealthz } from './routes/health/healthz.ts';
import { registerReadyz } from './routes/health/readyz.ts';
import { registerCreateMerge } from './routes/merges/create.ts';
import { registerGetMerge } from './routes/merges/get.ts';
import { registerGetModel } from './routes/models/get.ts';
import { registerInfer } from './routes/models/infer.ts';
import { registerListModels } from './routes/models/list.ts';
import { registerCreateTrigger } from './routes/triggers/create.ts';
import { registerHook } from './routes/triggers/hook.ts';
import { registerCommitUpload } from './routes/uploads/commit.ts';
import { registerCreateVersion } from './routes/uploads/create.ts';
import { registerPutUploadFile } from './routes/uploads/put-file.ts';
import { registerGetUsage } from './routes/usage/get.ts';
import { registerListDeliveries } from './routes/webhooks/deliveries.ts';
import { registerListEndpoints } from './routes/webhooks/endpoints.ts';
import { registerRedeliver } from './routes/webhooks/redeliver.ts';
import { registerRotateSecret } from './routes/webhooks/rotate.ts';
import { registerGetSecret } from './routes/webhooks/secret.ts';
import { recordUsage } from './usage.ts';

export function createApp(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    // zod failures become one 422 listing every bad field
    defaultHook: (result, c) => {
      if (result.success) return;
      const errors = result.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
      return problem(
        c,
        new ApiError(422, 'validation', `the request is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, { errors }),
      );
    },
  });

  app.use('*', requestId({ headerName: 'x-request-id' }));
  app.use('*', async (c, next) => {
    c.set('startedAt', performance.now());
    await next();
  });
  app.use('/v1/*', recordUsage);
  // file uploads stream to R2 with their own size check; every other body is small
  app.use('/v1/*', (c, next) =>
    (c.req.method === 'PUT' && c.req.path.startsWith('/v1/uploads/')) || (c.req.method === 'POST' && c.req.path === '/v1/files')
      ? next()
      : bodyLimit({
          maxSize: limits(c.env).maxBodyBytes,
          onError: () => {
            throw new ApiError(413, 'body-too-large', `the body is over ${limits(c.env).maxBodyBytes} bytes`);
          },
        })(c, next),
  );

  registerHealthz(app);
  registerReadyz(app);
  registerListModels(app);
  registerGetModel(app);
  registerInfer(app);
  for (const register of [
    registerCreateTenant,
    registerListTenants,
    registerCreateKey,
    registerListKeys,
    registerRotateKey,
    registerRevokeKey,
    registerPutAlias,
    registerRollbackAlias,
    registerAliasHistory,
    registerGetUsage,
    registerAdminUsage,
    registerCreateVersion,
    registerPutUploadFile,
    registerCommitUpload,
    registerCreateMerge,
    registerGetMerge,
    registerCreateFile,
    registerCreateBatch,
    registerGetBatch,
    registerListBatches,
    registerCancelBatch,
    registerBatchResults,
    registerBatchErrors,
    registerGetSecret,
    registerRotateSecret,
    registerListDeliveries,
    registerRedeliver,
    registerListEndpoints,
    registerCreateTrigger,
    registerHook,
  ])
    register(app);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'an API key: chm_…' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Chimera', version: '0.1.0', description: 'Multitask and merged models at the edge.' },
  });
  app.get('/docs', Scalar({ url: '/openapi.json', pageTitle: 'Chimera API' }));

  app.notFound((c) => problem(c, new ApiError(404, 'not-found', `no route for ${c.req.method} ${new URL(c.req.url).pathname}`)));
  app.onError((err, c) => {
    if (err instanceof ApiError) return problem(c, err);
    if (err instanceof HTTPException) {
      // Hono's own errors, e.g. a body that is not JSON
      return problem(c, new ApiError(err.status as ContentfulStatusCode, 'bad-request', err.message || 'the request could not be read'));
    }
    console.error(`request ${c.get('requestId')} failed:`, err);
    return problem(
      c,
      new ApiError(500, 'internal', `an unexpected error occurred; quote request id ${c.get('requestId')} when reporting it`),
    );
  });
  return app;
}

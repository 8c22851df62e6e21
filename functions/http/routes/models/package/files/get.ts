import type { OpenAPIHono } from '@hono/zod-openapi';
import { PackageFileParams, SignedFileQuery } from '../../../../../../schemas/api/packages.ts';
import { openPackageFile } from '../../../../../domain/packages/package.ts';
import type { AppEnv } from '../../../../context.ts';
import { clientAddress } from '../../../../middleware/anonymous-limit.ts';
import { publicRoute } from '../../../../openapi.ts';

export const getPackageFileRoute = publicRoute({
  method: 'get',
  path: '/v1/models/{model}/package/files/{sha256}',
  operationId: 'getModelPackageFile',
  summary: 'One file of a package, through a signed URL from GET /v1/models/{model}/package',
  description:
    'Takes no credentials: the query is the grant. An altered or forged URL, or one signed by a key the deployment dropped, is a 403 `url-signature`; an expired one a 403 `url-expired`; one whose API key was revoked a 403 `url-revoked`. Answers the raw bytes, whose sha256 is the path.',
  tags: ['models'],
  request: { params: PackageFileParams, query: SignedFileQuery },
  errors: [
    'url-signature',
    'url-expired',
    'url-revoked',
    'rate-limited',
    'model-not-found',
    'version-not-found',
    'file-not-found',
    'model-integrity',
    'signing-disabled',
  ],
  responses: {
    200: {
      description: 'the file',
      content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
    },
  },
});

export const registerGetPackageFile = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(getPackageFileRoute, async (c) => {
    const { model, sha256 } = c.req.valid('param');
    const address = clientAddress((n) => c.req.header(n));
    const file = await openPackageFile(c.env, c.var.db, model, sha256, c.req.valid('query'), address);
    const maxAge = Math.max(0, file.expires - Math.floor(Date.now() / 1000));
    return new Response(file.body, {
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(file.bytes),
        'content-disposition': `attachment; filename="${file.path.replace(/["\\\r\n]/g, '_')}"`,
        etag: `"${sha256}"`,
        // content-addressed bytes, but the grant is per tenant and short-lived: no shared caches
        'cache-control': `private, max-age=${maxAge}`,
        'x-content-type-options': 'nosniff',
      },
    }) as never;
  });

import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { ModelParams } from '../../../../../schemas/api/models.ts';
import { ModelPackage, PackageQuery } from '../../../../../schemas/api/packages.ts';
import { issuePackage } from '../../../../domain/packages/package.ts';
import type { AppEnv } from '../../../context.ts';
import { authedRoute } from '../../../openapi.ts';

export const getPackageRoute = authedRoute('infer', {
  method: 'get',
  path: '/v1/models/{model}/package',
  operationId: 'getModelPackage',
  summary: "A version's manifest and short-lived signed URLs for its files, to run it in a browser",
  description:
    'The version is chosen as inference would choose it (a pinned version, or the alias, default prod, with x-chimera-routing-key for a sticky pick). Each URL is signed (HMAC) for your tenant, this version and the key that asked, and needs no credentials until `expires_at`; it stops working at once when that key is revoked. `@chimera/client/browser` fetches them, checks each file against its sha256 and runs the model with onnxruntime-web.',
  tags: ['models'],
  request: {
    params: ModelParams,
    query: PackageQuery,
    headers: z.object({
      'x-chimera-routing-key': z.string().max(200).optional().openapi({ description: 'sticky canary routing, as for inference' }),
    }),
  },
  errors: ['model-not-found', 'version-not-found', 'alias-not-found', 'signing-disabled'],
  responses: { 200: { description: 'the package', content: { 'application/json': { schema: ModelPackage } } } },
});

export const registerGetPackage = (app: OpenAPIHono<AppEnv>) =>
  app.openapi(getPackageRoute, async (c) => {
    const { model } = c.req.valid('param');
    const { version, alias, expires_in } = c.req.valid('query');
    const routingKey = c.req.valid('header')['x-chimera-routing-key'];
    const usage = { operation: 'package', model };
    c.set('usage', usage);
    const pkg = await issuePackage(
      c.env,
      c.var.db,
      c.var.caller,
      model,
      { version, alias, routingKey, expiresIn: expires_in },
      new URL(c.req.url).origin,
    );
    c.set('usage', { ...usage, version: pkg.version });
    return c.json(pkg, 200);
  });

// The OpenAPI document's parts that no route states: where the API runs, who may call it
// and how, its tags, and the webhooks Chimera sends (OpenAPI 3.1 `webhooks`).
import type { OpenAPIHono } from '@hono/zod-openapi';
import { BatchEvent, MergeEvent } from '../../schemas/api/events.ts';
import { Problem } from '../../schemas/api/problems.ts';
import { HookBody } from '../../schemas/api/triggers.ts';
import { WEBHOOK_EVENTS } from '../../schemas/vocabulary.ts';
import type { AppEnv } from './context.ts';

export const DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Chimera',
    version: '0.1.0',
    summary: 'Multitask and merged models at the edge.',
    description: [
      'Serve multitask and merged ONNX models from a Cloudflare Worker: inference, model versions and aliases, merges, batch jobs and webhooks.',
      '',
      'Every error is RFC 9457 `application/problem+json` (see `Problem`); each operation lists the problem types it sends.',
      'A typed TypeScript client, `@chimera/client`, is generated from this document.',
    ].join('\n'),
    // no SPDX licence applies: Chimera is not published under an open licence
    license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
  },
  servers: [
    { url: 'http://127.0.0.1:8787', description: '`npm start` (wrangler dev, local D1/R2)' },
    {
      url: 'https://chimera.{account}.workers.dev',
      description: 'a deployment on workers.dev',
      variables: { account: { default: 'your-subdomain', description: "your account's workers.dev subdomain" } },
    },
  ],
  tags: [
    { name: 'inference', description: 'Run a model on inputs.' },
    { name: 'models', description: 'The models you can call: public ones and your own.' },
    { name: 'versions', description: 'Upload a model version: manifest, files, commit.' },
    { name: 'aliases', description: 'Names pointing at versions, with traffic splits and history.' },
    { name: 'merges', description: 'Merge versions of a model into a new one, as a queued job.' },
    { name: 'batches', description: 'Run a model over many inputs in the background.' },
    { name: 'webhooks', description: 'Signed outbound events, their deliveries, and inbound hooks (triggers).' },
    { name: 'usage', description: 'What your tenant used.' },
    { name: 'keys', description: 'Publishable keys (chm_pk_…) for web pages, and the browser origins of your keys.' },
    { name: 'admin', description: 'Tenants, keys and usage across tenants (the ADMIN_TOKEN).' },
    { name: 'health', description: 'Liveness and readiness.' },
  ],
};

/** Security schemes, and one `webhooks` entry per event Chimera sends. */
export function registerDocumentParts(app: OpenAPIHono<AppEnv>): void {
  const registry = app.openAPIRegistry;
  registry.register('Problem', Problem); // error responses refer to it by $ref (see openapi.ts)
  registry.register('HookBody', HookBody); // the hook route refers to it without validating (see routes/hooks)
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'an API key: a secret key (chm_…) with scopes, or on inference routes a publishable key (chm_pk_…)',
  });
  registry.registerComponent('securitySchemes', 'publishableKey', {
    type: 'apiKey',
    in: 'query',
    name: 'key',
    description:
      'a publishable key (chm_pk_…) in the URL, for web pages: a preflight is then answered from its origins, and a GET needs none',
  });
  registry.registerComponent('securitySchemes', 'adminToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'the ADMIN_TOKEN secret of the deployment',
  });
  for (const event of WEBHOOK_EVENTS) {
    const schema = event.startsWith('batch.') ? BatchEvent : MergeEvent;
    registry.registerWebhook({
      method: 'post',
      path: event,
      operationId: `on${event.replace(/(^|\.)(\w)/g, (_, _dot, ch: string) => ch.toUpperCase())}`,
      summary: `${event}: sent to the job's webhook.url, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature)`,
      tags: ['webhooks'],
      security: [],
      request: { body: { required: true, content: { 'application/json': { schema } } } },
      responses: {
        '2XX': { description: 'accepted; any other answer, or none within 10 s, is retried with backoff for 24 hours' },
        '4XX': { description: 'not accepted: retried like any failure' },
      },
    });
  }
}

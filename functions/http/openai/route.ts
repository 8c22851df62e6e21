// How operations of the OpenAI-compatible surface are declared: like authedRoute, but
// hidden from Chimera's own document (their errors are not problem+json) and registered
// in a document of their own, /openai/openapi.json (openai/document.ts).
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { OpenAiError } from '../../../schemas/api/openai.ts';
import type { Scope } from '../../domain/keys.ts';
import { requireKey } from '../middleware/auth.ts';
import type { Operation } from '../openapi.ts';

/** A registry only: the OpenAI surface's own document is made from it. */
export const openAiDocs = new OpenAPIHono();

const error = (description: string) => ({ description, content: { 'application/json': { schema: OpenAiError } } });
const ERRORS = {
  400: error('invalid_request_error: the request is invalid'),
  401: error('authentication_error: missing, unknown or revoked key'),
  403: error("permission_error: the key lacks the scope, or a publishable key's model or origin"),
  404: error('not_found_error: no such model, file or batch'),
  429: error('rate_limit_error: too many requests (Retry-After)'),
  500: error('server_error'),
};

/** `publishable`: a publishable key may call it too (embeddings). */
export function openAiRoute<R extends Omit<Operation, 'errors'>>(scope: Scope, route: R, opts: { publishable?: boolean } = {}) {
  const declared = createRoute({
    ...route,
    tags: route.tags ?? ['openai'],
    security: [{ bearer: [] }],
    middleware: [requireKey(scope, opts)] as const,
    responses: { ...(ERRORS as Record<never, never>), ...route.responses },
  });
  // the document describes the operation, not the middleware that guards it
  const { middleware: _guard, ...documented } = declared;
  openAiDocs.openAPIRegistry.registerPath(documented);
  return { ...declared, hide: true };
}

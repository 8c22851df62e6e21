// Errors on the OpenAI-compatible surface: the same ApiError as everywhere, rendered in
// OpenAI's shape ({"error": {message, type, param, code}}) so that OpenAI's SDKs raise
// their own typed errors (BadRequestError, NotFoundError, RateLimitError, …). Statuses
// follow OpenAI's: a request it would call invalid (422 validation, 413 too many inputs,
// 415) is a 400 there.
import type { Context } from 'hono';
import type { OpenAiError } from '../../../schemas/api/openai.ts';
import { ApiError } from '../../../schemas/api/problems.ts';

const TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  409: 'invalid_request_error',
  413: 'invalid_request_error',
  429: 'rate_limit_error',
};

export const openAiStatus = (err: ApiError): number =>
  err.status === 422 || err.status === 415 || err.type === 'too-many-inputs' ? 400 : err.status;

export function openAiError(c: Context, err: ApiError): Response {
  const status = openAiStatus(err);
  const body: OpenAiError = {
    error: {
      message: err.message,
      type: TYPES[status] ?? 'server_error',
      param: err.errors?.[0]?.path ?? null,
      code: err.type.replaceAll('-', '_'),
    },
  };
  return c.json(body, status as 400, { 'x-request-id': c.get('requestId') ?? '', ...err.headers });
}

/** zod failures on the OpenAI surface: thrown, so the app's error handler answers them
 * in OpenAI's shape (a 400 naming the first bad field as `param`). */
export const openAiHook = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): undefined => {
  if (result.success) return;
  const errors = (result.error?.issues ?? []).map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
  throw new ApiError('validation', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
};

export const isOpenAiPath = (path: string) => path.startsWith('/openai/');

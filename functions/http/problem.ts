// Renders an ApiError as RFC 9457 problem+json: the only place errors become responses.
import type { Context } from 'hono';
import { type ApiError, type Problem, problemUri } from '../../schemas/api/problems.ts';

export function problem(c: Context, err: ApiError): Response {
  const body: Problem = {
    type: problemUri(err.type),
    title: err.title,
    status: err.status,
    detail: err.message,
    instance: c.get('requestId'),
    ...(err.errors ? { errors: err.errors } : {}),
  };
  return c.json(body, err.status, { 'content-type': 'application/problem+json', ...err.headers });
}

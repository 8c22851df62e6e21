// The single error class of the API, and its RFC 9457 rendering.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Problem } from '../schemas/api/problem.ts';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly type: string;
  readonly errors?: Problem['errors'];
  readonly headers?: Record<string, string>;
  constructor(
    status: ContentfulStatusCode,
    type: string,
    detail: string,
    extra: { errors?: Problem['errors']; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.status = status;
    this.type = type;
    this.errors = extra.errors;
    this.headers = extra.headers;
  }
}

export function problem(c: Context, err: ApiError): Response {
  const body: Problem = {
    type: `https://chimera.dev/problems/${err.type}`,
    title: TITLES[err.status] ?? 'Error',
    status: err.status,
    detail: err.message,
    instance: c.get('requestId'),
    ...(err.errors ? { errors: err.errors } : {}),
  };
  return c.json(body, err.status, { 'content-type': 'application/problem+json', ...err.headers });
}

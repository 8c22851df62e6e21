// The admin API answers only to the ADMIN_TOKEN secret (compared in constant time).
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../../../schemas/api/problems.ts';
import type { AppEnv } from '../context.ts';
import { crossOrigin } from './cors.ts';

const encoder = new TextEncoder();
// workerd's SubtleCrypto extension; the DOM typings in this project do not list it
const subtle = crypto.subtle as unknown as { timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean };

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  // closed to pages on other origins (the Worker's own pages are same-origin)
  const origin = crossOrigin(c.req);
  if (origin) throw new ApiError('origin-not-allowed', `the admin API takes no requests from web pages on other origins (${origin})`);
  const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  const expected = c.env.ADMIN_TOKEN;
  if (!expected) throw new ApiError('admin-disabled', 'the admin API is off: set the ADMIN_TOKEN secret');
  const a = encoder.encode(token ?? ''),
    b = encoder.encode(expected);
  if (!token || a.length !== b.length || !subtle.timingSafeEqual(a, b)) {
    throw new ApiError('unauthorized', 'the admin API needs "Authorization: Bearer <ADMIN_TOKEN>"', {
      headers: { 'www-authenticate': 'Bearer' },
    });
  }
  await next();
});

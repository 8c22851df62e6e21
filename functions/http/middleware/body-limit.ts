// JSON bodies are small: anything over MAX_BODY_BYTES is refused before it is read.
// File uploads stream to R2 with their own size checks, so they pass.
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../../../schemas/api/problems.ts';
import { limits } from '../../infra/config.ts';
import type { AppEnv } from '../context.ts';

const streamsItsBody = (method: string, path: string) =>
  (method === 'PUT' && path.startsWith('/v1/uploads/')) || (method === 'POST' && path === '/v1/files');

export const jsonBodyLimit = createMiddleware<AppEnv>((c, next) => {
  if (streamsItsBody(c.req.method, c.req.path)) return next();
  const maxSize = limits(c.env).maxBodyBytes;
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError('body-too-large', `the body is over ${maxSize} bytes`);
    },
  })(c, next);
});

// Routes anyone may call, except /healthz, are rate limited per client address before
// they run (issue 11): /readyz reads D1 and R2, the document and the docs cost CPU, and
// hooks are also limited per trigger (domain/triggers.ts). Failed authentication is
// counted the same way (middleware/auth.ts).
import { createMiddleware } from 'hono/factory';
import { limitAnonymous } from '../../domain/limits.ts';
import type { AppEnv } from '../context.ts';

/** The caller's address as Cloudflare reports it (set by the edge; not forgeable there). */
export const clientAddress = (header: (name: string) => string | undefined) => header('cf-connecting-ip') ?? 'unknown';

const LIMITED = /^\/(readyz|openapi\.json|docs)(\/|$)|^\/v1\/hooks\//;

export const anonymousLimit = createMiddleware<AppEnv>(async (c, next) => {
  if (LIMITED.test(c.req.path))
    await limitAnonymous(
      c.env,
      clientAddress((n) => c.req.header(n)),
    );
  await next();
});

// The answer of a GET inference, with what lets it be reused: a pinned version's answer
// never changes, so a browser keeps it a day; an alias's is revalidated every time (304
// while the alias picks the same version), so it is never reused past the alias's change.
import type { Context } from 'hono';
import type { GetAnswer } from '../../domain/cached-inference.ts';

export function getInferResponse(c: Context, answer: GetAnswer, pinned: boolean): Response {
  const headers: Record<string, string> = {
    etag: answer.etag,
    // private: the answer is for this key's holder; the edge cache is the Worker's own, after authentication
    'cache-control': pinned ? 'private, max-age=86400, immutable' : 'private, no-cache',
    'x-chimera-version': String(answer.status === 304 ? answer.version : answer.body.version),
  };
  if (answer.status === 304) return c.body(null, 304, headers);
  return c.json(answer.body, 200, { ...headers, 'x-chimera-cache': answer.hit ? 'hit' : 'miss' });
}

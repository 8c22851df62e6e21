// Request bodies, read once at the edge of the app. JSON bodies are read whole (at most
// MAX_BODY_BYTES) and must be well-formed UTF-8 holding well-formed Unicode: TextDecoder
// and JSON.parse would otherwise turn bad bytes into U+FFFD and keep lone surrogates,
// silently. Streamed bodies (uploads, input files) pass through a guard instead.
//
// Either way an unread remainder is drained before the answer goes out: a Worker that
// answers (413, 4xx) while the client is still sending a chunked body leaves the client
// writing into a closed request, which proxies turn into a dropped connection or a 500.
// Reading on, up to a cap, makes the 413 arrive. A Content-Length over the limit is
// answered at once, before any byte is read, as before.
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../../../schemas/api/problems.ts';
import { limits } from '../../infra/config.ts';
import type { AppEnv } from '../context.ts';

/** Past this much beyond the point of refusal a sender is cut off rather than drained. */
const DRAIN_CAP_BYTES = 64 << 20;

/** input files, plain (Chimera's) or multipart (OpenAI's): UTF-8 text, streamed */
const isFileUpload = (path: string) => path === '/v1/files' || path === '/openai/v1/files';
const streamsItsBody = (method: string, path: string) =>
  (method === 'PUT' && path.startsWith('/v1/uploads/')) || (method === 'POST' && isFileUpload(path));

const tooLarge = (max: number) => new ApiError('body-too-large', `the body is over ${max} bytes`);
const notUtf8 = (what: string) =>
  new ApiError('bad-encoding', `${what} is not well-formed UTF-8: send text encoded as UTF-8, without invalid byte sequences`);

/** Reads every byte; null when there were more than `max` (the rest is drained, up to the cap). */
async function readAtMost(body: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await drain(reader, DRAIN_CAP_BYTES);
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.length;
  }
  return bytes;
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, cap: number): Promise<void> {
  let read = 0;
  try {
    while (read <= cap) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.length;
    }
    await reader.cancel();
  } catch {
    // the sender went away: nothing left to drain
  }
}

// a high surrogate not followed by a low one, or a low one not preceded by a high one
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path of the first string (or key) holding a lone surrogate, if any. */
function loneSurrogateAt(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path.join('.') || '(body)' : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [k, v] of Object.entries(value)) {
    if (LONE_SURROGATE.test(k)) return [...path, k].join('.');
    const found = loneSurrogateAt(v, [...path, k]);
    if (found) return found;
  }
  return undefined;
}

/** fatal: bad bytes throw; without `stream` a decode keeps no state, so one serves every request */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

const isText = (contentType: string | undefined) => !contentType || /json|^text\//i.test(contentType);

/** JSON bodies: the size limit, UTF-8, well-formed strings; the parsed body is kept for the validator. */
const wholeBody = createMiddleware<AppEnv>(async (c, next) => {
  const max = limits(c.env).maxBodyBytes;
  const declared = c.req.header('content-length');
  const sized = declared !== undefined && !c.req.header('transfer-encoding') && /^\d+$/.test(declared);
  if (sized && Number(declared) > max) throw tooLarge(max);
  // a declared length bounds the body (the runtime's HTTP framing holds it to that), so
  // one native read does; only a chunked body is read piece by piece against the limit
  // (the reader's loop was a quarter of a warm request's CPU in workerd, in a
  // bench:profile-workerd run before this change)
  const bytes = sized ? new Uint8Array(await c.req.raw.arrayBuffer()) : await readAtMost(c.req.raw.body!, max);
  if (!bytes || bytes.length > max) throw tooLarge(max);
  if (!bytes.length || !isText(c.req.header('content-type'))) {
    c.req.raw = new Request(c.req.raw, { body: bytes });
    return next();
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw notUtf8('the body');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    c.req.raw = new Request(c.req.raw, { body: bytes });
    return next(); // not JSON: the route's own reading says so
  }
  // a lone surrogate reaches JSON.parse only as a \u escape (UTF-8 cannot encode one)
  const at = text.includes('\\u') ? loneSurrogateAt(parsed) : undefined;
  if (at !== undefined) {
    throw new ApiError(
      'bad-encoding',
      `${at} holds a lone surrogate (a \\uD800-\\uDFFF escape without its pair): text must be well-formed Unicode`,
      {
        errors: [{ path: at, message: 'a lone surrogate' }],
      },
    );
  }
  // every later read comes from these (so the consumed request is not rebuilt, which
  // cost a Request and a stream per call): Hono derives an uncached kind from the first
  // cached one (and from json by re-serializing, which would change the bytes a hook
  // signature covers), so the bytes go first
  const cache = c.req.bodyCache as Record<string, Promise<unknown>>;
  cache.arrayBuffer = Promise.resolve(bytes.buffer);
  cache.text = Promise.resolve(text);
  cache.json = Promise.resolve(parsed);
  await next();
});

/** A streamed body with its remainder drained after the handler, and JSONL files checked as UTF-8 on the way. */
function guard(source: ReadableStream<Uint8Array>, utf8: boolean) {
  const reader = source.getReader();
  const decoder = utf8 ? new TextDecoder('utf-8', { fatal: true }) : undefined;
  let ended = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      try {
        decoder?.decode(value ?? new Uint8Array(0), { stream: !done });
      } catch {
        controller.error(notUtf8('the file'));
        return;
      }
      if (done) {
        ended = true;
        controller.close();
      } else controller.enqueue(value);
    },
    // a handler that stops reading (bytes already stored, a size check failed) leaves the rest for drain()
    cancel() {},
  });
  return { stream, drain: () => (ended ? Promise.resolve() : drain(reader, DRAIN_CAP_BYTES)) };
}

const streamedBody = createMiddleware<AppEnv>(async (c, next) => {
  const guarded = guard(c.req.raw.body!, isFileUpload(c.req.path));
  c.req.raw = new Request(c.req.raw, { body: guarded.stream, duplex: 'half' } as RequestInit);
  try {
    await next();
  } finally {
    await guarded.drain();
  }
});

export const requestBody = createMiddleware<AppEnv>((c, next) => {
  if (!c.req.raw.body) return next();
  return streamsItsBody(c.req.method, c.req.path) ? streamedBody(c, next) : wholeBody(c, next);
});

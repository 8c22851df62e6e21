// The GET form of inference (issue 16): one short text in the query, so a page's call is a
// plain GET (with the key in the URL, no preflight at all) and its answer can be cached:
// by the browser, and by the Worker's edge cache, keyed by the version that answers.
import { z } from '@hono/zod-openapi';
import { AliasName } from '../names.ts';

/** code points a GET input may have (a URL has room for about that much percent-encoded UTF-8) */
export const MAX_GET_CHARS = 1000;

const text = (description: string) =>
  z
    .string()
    .openapi({ maxLength: MAX_GET_CHARS, description: `${description}; at most ${MAX_GET_CHARS} code points, else 422 text-too-long` });

export const InferQuery = z.object({
  input: text('the text'),
  text_pair: text('a second text read with it, for models whose tokenizer has a pair template').optional(),
  tasks: z
    .string()
    .regex(/^[a-z0-9_-]+(,[a-z0-9_-]+)*$/, 'task names separated by commas')
    .optional()
    .openapi({ description: 'the heads to run, comma-separated (default: all)', example: 'sst2,subj' }),
});
export type InferQuery = z.infer<typeof InferQuery>;

export const AliasInferQuery = InferQuery.extend({
  alias: AliasName.optional().openapi({ description: 'route through this alias (default prod)' }),
});

/** GET inference's request headers: revalidation of an earlier answer. */
export const IfNoneMatchHeaders = z.object({
  'if-none-match': z.string().max(1000).optional().openapi({ description: 'an ETag of an earlier answer' }),
});

export const CACHE_HEADERS = {
  etag: { schema: { type: 'string' as const }, description: 'derived from the version that answered, the tasks and the input' },
  'cache-control': { schema: { type: 'string' as const }, description: 'how long the answer may be reused' },
  'x-chimera-cache': {
    schema: { type: 'string' as const, enum: ['hit', 'miss'] },
    description: "whether the Worker's edge cache answered",
  },
  'x-chimera-version': { schema: { type: 'integer' as const, minimum: 1 }, description: 'the version that answered' },
};

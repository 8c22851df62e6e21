// Shapes many API schemas share: instants, version numbers, counts, and the limits the
// document states (the defaults of wrangler.toml's [vars]; a deployment may change them).
import { z } from '@hono/zod-openapi';

/** An instant as the API writes it: ISO 8601 in UTC, e.g. 2026-11-28T12:00:00.000Z. */
export const Timestamp = z.iso.datetime().openapi({ example: '2026-11-28T12:00:00.000Z' });

/** A version number: 1, 2, … per model. JavaScript's integers end at 2^53 - 1. */
export const VersionNumber = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** A count of things: 0 or more. */
export const Count = z.number().int().min(0);

/** MAX_INPUTS, MAX_TEXT_CHARS and MAX_BATCH_INLINE as shipped. */
export const DEFAULT_LIMITS = { inputs: 64, textChars: 4000, batchInline: 1000 } as const;

/** A text's length as the API counts it (MAX_TEXT_CHARS, maxLength): Unicode code points,
 * so an emoji is one character, not the two UTF-16 units of String#length. */
export function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** OpenAPI metadata: `version` and `alias` are alternatives (JSON Schema's dependentSchemas,
 * which the metadata's type does not list). */
export const VERSION_EXCLUDES_ALIAS = { dependentSchemas: { version: { properties: { alias: false } } } } as { description?: string };

/** A path parameter that names a resource by id: never empty, `.` or `..` (a URL with one
 * of those there is another URL, so no such id can reach the route). */
export const pathId = (name: string, description?: string) =>
  z
    .string()
    .min(1)
    .openapi({ param: { name, in: 'path' }, not: { enum: ['.', '..'] }, ...(description ? { description } : {}) });

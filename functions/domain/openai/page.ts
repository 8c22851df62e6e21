// Lists on the OpenAI surface page as OpenAI's do: newest first, `after` the last id seen.
// Rows are ordered by (created, id), so rows made in the same millisecond are neither
// skipped nor repeated across pages.
import { and, eq, lt, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/** Rows after `from` in (createdAt, id) descending order. */
export const before = (t: { createdAt: SQLiteColumn; id: SQLiteColumn }, from: { createdAt: number; id: string }): SQL =>
  or(lt(t.createdAt, from.createdAt), and(eq(t.createdAt, from.createdAt), lt(t.id, from.id)))!;

export const page = <T extends { id: string }>(data: T[], hasMore: boolean) => ({
  object: 'list' as const,
  data,
  has_more: hasMore,
  first_id: data[0]?.id ?? null,
  last_id: data.at(-1)?.id ?? null,
});

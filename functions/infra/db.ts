// The D1 database through Drizzle. A handle is only a query builder over the binding, so
// one per binding serves every request and job of the isolate.
import { type DrizzleD1Database, drizzle } from 'drizzle-orm/d1';

export type Db = DrizzleD1Database;

const handles = new WeakMap<D1Database, Db>();

export function dbOf(d1: D1Database): Db {
  let db = handles.get(d1);
  if (!db) {
    db = drizzle(d1);
    handles.set(d1, db);
  }
  return db;
}

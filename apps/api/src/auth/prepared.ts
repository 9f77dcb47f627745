import type { Database } from "@tsbin/db";

const cache = new WeakMap<Database, Map<string, unknown>>();

/**
 * A Drizzle prepared query, built once per database handle and kept. Building a query with Drizzle
 * costs more CPU than running a simple one; and a query Drizzle has not prepared goes to
 * PostgreSQL unnamed (postgres.js `prepare: false`), so the server parses and plans it on every
 * call, where a prepared one is parsed and planned once per connection. For the statements on the
 * hot paths built with Drizzle (login's user lookup, sign-up, the audit rows). `name` must be unique per query shape.
 */
export function prepared<T>(db: Database, name: string, build: (db: Database) => T): T {
  let queries = cache.get(db);
  if (!queries) {
    queries = new Map();
    cache.set(db, queries);
  }
  let query = queries.get(name) as T | undefined;
  if (query === undefined) {
    query = build(db);
    queries.set(name, query);
  }
  return query;
}

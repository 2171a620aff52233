// Prepared statements, compiled once per connection and reused, so every SQL call binds values and never re-parses.
import type Database from 'better-sqlite3';

/**
 * One SQL statement with the values it binds and the row it reads, declared once beside its text: every call
 * then gets typed rows from better-sqlite3's own generics (`db.prepare<Params, Row>`), never a cast.
 */
export interface Sql<Params extends unknown[], Row> {
  readonly text: string;
  /** The statement prepared on `db`, compiled the first time it is asked for on that connection. */
  on(db: Database.Database): Database.Statement<Params, Row>;
}

/** `Row` is left `unknown` for statements that only write: reading one is then a type error to narrow, not a guess. */
export function sql<Params extends unknown[] = [], Row = unknown>(text: string): Sql<Params, Row> {
  const prepared = new WeakMap<Database.Database, Database.Statement<Params, Row>>();
  return {
    text,
    on(db) {
      let compiled = prepared.get(db);
      if (!compiled) {
        compiled = db.prepare<Params, Row>(text);
        prepared.set(db, compiled);
      }
      return compiled;
    },
  };
}

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * The untyped prepared statement for `sql` on `db`. Kept for the files not yet declared with `sql()`; its rows
 * are `unknown`, so a caller casts them: prefer `sql<Params, Row>(text).on(db)`.
 */
export function statement(db: Database.Database, sql: string): Database.Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let prepared = cache.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    cache.set(sql, prepared);
  }
  return prepared;
}

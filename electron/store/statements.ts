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

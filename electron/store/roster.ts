// The roster of agents expected on an enrolment day: imported by the supervisor, matched at identify.
import type Database from 'better-sqlite3';
import type { RosterEntry } from '../engine/supervisor/domain';
import { statement } from './statements';

interface RosterRow {
  email: string;
  name: string;
  service: string;
  imported_at: number;
}

export function rowToRosterEntry(row: RosterRow): RosterEntry {
  return { email: row.email, name: row.name, service: row.service, importedAt: row.imported_at };
}

const HAS_ANY = 'SELECT 1 FROM roster LIMIT 1';
const FIND = 'SELECT * FROM roster WHERE email = ?';
const CLEAR = 'DELETE FROM roster';
const INSERT = `INSERT INTO roster (email, name, service, imported_at) VALUES (?, ?, ?, ?)
  ON CONFLICT (email) DO UPDATE SET name = excluded.name, service = excluded.service, imported_at = excluded.imported_at`;

export function rosterIsLoaded(db: Database.Database): boolean {
  return statement(db, HAS_ANY).get() !== undefined;
}

export function findRosterEntry(db: Database.Database, email: string): RosterEntry | null {
  const row = statement(db, FIND).get(email) as RosterRow | undefined;
  return row ? rowToRosterEntry(row) : null;
}

/** Replaces the roster in one transaction: a failed import leaves the previous one whole. */
export function replaceRoster(db: Database.Database, entries: readonly RosterEntry[]): void {
  db.transaction(() => {
    statement(db, CLEAR).run();
    for (const e of entries) statement(db, INSERT).run(e.email.toLowerCase(), e.name, e.service, e.importedAt);
  })();
}

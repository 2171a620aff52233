// The migration registry: numbered migrations run in order inside a transaction, PRAGMA user_version records the last one.
import { OutOfServiceError } from '../../shared/errors';
import type Database from 'better-sqlite3';
import { migration001 } from './migrations/001-initial';
import { migration002 } from './migrations/002-dashboard-indexes';
import { migration003 } from './migrations/003-clock-jumps';
import { migration004 } from './migrations/004-stations';
import { migration005 } from './migrations/005-trusted-stations';
import { migration006 } from './migrations/006-station-figures';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006];

/** Versions must grow by one: a gap or a reorder is a programming error, caught before any database is touched. */
export function checkRegistry(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
}

export function schemaVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/**
 * Brings `db` to the latest version. Refuses a database written by a newer kiosk: running old code
 * on a newer schema could write rows the newer code misreads.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  checkRegistry(migrations);
  const current = schemaVersion(db);
  const latest = migrations.length;
  if (current > latest) {
    throw new OutOfServiceError('log_newer', `database schema version ${current} is newer than this kiosk supports (${latest})`);
  }
  // One transaction for every pending migration: a log is at one version or the next, never half-way, and each
  // page the migrations touch is written to the WAL once, not once per migration (a new log's schema: 255 KB of
  // WAL as six transactions, on a data folder that may be a small partition).
  db.transaction(() => {
    for (const m of migrations.slice(current)) {
      db.exec(m.sql);
      // PRAGMA takes no bound parameters; the version is an integer from the registry, not input.
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
  return latest;
}

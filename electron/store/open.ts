// Opens the log: durable pragmas, integrity check (a corrupt file is kept aside and the station stops), migrations, crash recovery.
import { existsSync, readdirSync, renameSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3';
import { errorCode, OutOfServiceError } from '../../shared/errors';
import { lastEventAt } from './events';
import { makePrivateFolder, preparePrivateDatabase } from './file-modes';
import { migrate, schemaVersion } from './migrate';
import { abandonOpenSessions } from './sessions';

export interface OpenedLog {
  db: Database.Database;
  /** Sessions a crash had left open, now closed as abandoned. */
  abandoned: number;
  /** When the newest event was written before this open added any (station clock): where the clock watch starts. */
  lastEventAt: number | null;
}

export interface OpenLogOptions {
  /** Only a data folder that never held a station may get a new, empty log; otherwise a missing one is a fault. */
  create?: boolean;
  /**
   * Run PRAGMA quick_check before answering (the default). A long campaign's log (hundreds of MB) takes seconds:
   * the composition root then checks it in a worker instead (worker/tasks.ts checkIntegrityInBackground).
   */
  checkNow?: boolean;
}

/** Applies the pragmas every connection that writes must have. */
export function applyWritePragmas(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  // Set explicitly: better-sqlite3's build defaults WAL to NORMAL, which can lose the last commits on power loss.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Deleted rows (an erased agent, a purged session, a removed device) are overwritten, not left in free pages.
  db.pragma('secure_delete = ON');
  // A reader (the CSV export) holding the WAL must not make a writer fail at once.
  db.pragma('busy_timeout = 5000');
  // Checkpoints run between sessions (checkpoint() below), not inside an agent's keystroke; this larger
  // automatic threshold (about 40 MB) is only the safety net if no session ends for a long time.
  db.pragma('wal_autocheckpoint = 10000');
}

/**
 * Copies the WAL back into the database file without waiting on readers (PASSIVE): called between
 * sessions, when a few milliseconds of disk work cannot be felt by anyone.
 */
export function checkpoint(db: Database.Database): void {
  db.pragma('wal_checkpoint(PASSIVE)');
}

/** A WAL this large after a migration holds an index built over a long log; a new log's schema is far below it. */
const LARGE_WAL = 64 * 1024 * 1024;

/** The file's size in bytes, 0 when it does not exist. */
export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function truncateWal(db: Database.Database): void {
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (error) {
    if (errorCode(error) !== 'SQLITE_FULL') throw error;
  }
}

function isCorruption(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB';
}

/** Opens with pragmas and checks integrity; throws 'corrupt' (as a reason string) when the file cannot be trusted. */
function openChecked(path: string, checkNow: boolean): Database.Database {
  preparePrivateDatabase(path);
  const db = new Database(path);
  try {
    applyWritePragmas(db);
    const check = checkNow ? db.pragma('quick_check', { simple: true }) : 'ok';
    if (check !== 'ok') throw Object.assign(new Error(`quick_check: ${String(check)}`), { code: 'SQLITE_CORRUPT' });
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Renames the file and its WAL/SHM companions to `<name>.corrupt-<time>`; the evidence is kept for IT. */
function moveAside(path: string, at: number): string {
  const target = `${path}.corrupt-${new Date(at).toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, target);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  }
  return target;
}

/**
 * Opens (or, on a new station, creates) the log at `path`. A file SQLite reports corrupt is moved aside (never
 * deleted, never replaced by a new empty log: a walk-up station would then offer its first-run set-up to whoever
 * comes by) and the station goes out of service with `log_corrupt`; `admin salvage` reads what it can of it.
 */
export function openLog(path: string, now: () => number = Date.now, { create = true, checkNow = true }: OpenLogOptions = {}): OpenedLog {
  // A new data folder is the app user's alone: the log holds e-mails, device names and PIN hashes.
  makePrivateFolder(dirname(path));
  if (!create && !existsSync(path)) {
    // Gone because it was damaged and kept aside: that is the cause to tell, until it is salvaged or restored.
    const aside = readdirSync(dirname(path)).filter((name) => name.startsWith(`${basename(path)}.corrupt-`));
    if (aside.length > 0) throw new OutOfServiceError('log_corrupt', `${path} is missing; the damaged log is kept aside as ${aside.sort().join(', ')}`);
    throw new OutOfServiceError('log_missing', `${path} is missing`);
  }
  let db: Database.Database;
  try {
    db = openChecked(path, checkNow);
    const version = schemaVersion(db);
    migrate(db);
    // A migration's pages (an index built over millions of rows) stay in the WAL file until a checkpoint truncates
    // it: tried now, so an upgrade does not leave hundreds of MB there. On a disk too full to copy them into the log
    // yet, the WAL simply stays as it is (nothing is lost either way).
    if (schemaVersion(db) !== version && fileSize(`${path}-wal`) >= LARGE_WAL) truncateWal(db);
  } catch (error) {
    if (!isCorruption(error)) throw error;
    const movedTo = moveAside(path, now());
    throw new OutOfServiceError('log_corrupt', `${error instanceof Error ? error.message : String(error)}; kept aside as ${basename(movedTo)}`);
  }
  const before = lastEventAt(db);
  const abandoned = abandonOpenSessions(db, now());
  return { db, abandoned, lastEventAt: before };
}

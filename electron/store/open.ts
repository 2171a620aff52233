// Opens the log: durable pragmas, integrity check (a corrupt file is moved aside, never deleted), migrations, crash recovery.
import { existsSync, renameSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3';
import { appendEvent } from './events';
import { makePrivateFolder, preparePrivateDatabase } from './file-modes';
import { migrate } from './migrate';
import { abandonOpenSessions } from './sessions';
import { readInternal, writeInternal } from './settings';
import { errorCode } from '../../shared/errors';

export interface OpenedLog {
  db: Database.Database;
  /** Where a corrupt file was moved, when this open had to start a new log. */
  movedAside: string | null;
  /** Sessions a crash had left open, now closed as abandoned. */
  abandoned: number;
}

export interface LogRecovery {
  at: number;
  movedTo: string;
  reason: string;
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

function isCorruption(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB';
}

/** Opens with pragmas and checks integrity; throws 'corrupt' (as a reason string) when the file cannot be trusted. */
function openChecked(path: string): Database.Database {
  preparePrivateDatabase(path);
  const db = new Database(path);
  try {
    applyWritePragmas(db);
    const check = db.pragma('quick_check', { simple: true });
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
 * Opens (or creates) the log at `path`. A file that SQLite reports corrupt is moved aside and a new log
 * started with the fact recorded as its first event and kept for the supervisor (`logRecoveries`).
 */
export function openLog(path: string, now: () => number = Date.now): OpenedLog {
  // A new data folder is the app user's alone: the log holds e-mails, device names and PIN hashes.
  makePrivateFolder(dirname(path));
  let db: Database.Database;
  let recovery: LogRecovery | null = null;
  try {
    db = openChecked(path);
    migrate(db);
  } catch (error) {
    if (!isCorruption(error)) throw error;
    const at = now();
    const movedTo = moveAside(path, at);
    recovery = { at, movedTo: basename(movedTo), reason: error instanceof Error ? error.message : String(error) };
    db = openChecked(path);
    migrate(db);
  }
  if (recovery) {
    const noted = recovery;
    db.transaction(() => {
      appendEvent(db, {
        sessionId: null,
        at: noted.at,
        step: null,
        type: 'log_recovered',
        details: { movedTo: noted.movedTo },
      });
      writeInternal(db, 'logRecoveries', [noted]);
    })();
  }
  const abandoned = abandonOpenSessions(db, now());
  return { db, movedAside: recovery?.movedTo ?? null, abandoned };
}

/** Corrupt files moved aside so far, for the supervisor's dashboard. */
export function logRecoveries(db: Database.Database): LogRecovery[] {
  const value = readInternal(db, 'logRecoveries');
  return Array.isArray(value) ? (value as LogRecovery[]) : [];
}

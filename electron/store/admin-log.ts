// How the command line of the built app opens a log: read-only to verify, or beside a running kiosk without its start-up recovery.
import { open } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { BUNDLE_MAGIC } from './bundle';
import { identityFromSeed, selfStation, type StationIdentity } from './identity';
import { applyWritePragmas } from './open';
import { migrate } from './migrate';
import { verifyLog, type LogVerification, type VerifyOptions } from './verify';

/** Whether `file` starts like a station bundle (a SQLite file starts with "SQLite format 3"). */
export async function looksLikeBundle(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(BUNDLE_MAGIC.length);
    await handle.read(head, 0, head.length, 0);
    return head.equals(BUNDLE_MAGIC);
  } finally {
    await handle.close();
  }
}

/** Opens `path` read-only (an audit must not write) and verifies it; null when it is not a kiosk log at all. */
export function verifyLogFile(path: string, options: VerifyOptions = {}): LogVerification | null {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma('schema_version');
  } catch {
    return null;
  }
  try {
    return verifyLog(db, options);
  } catch {
    return null;
  } finally {
    db.close();
  }
}

/**
 * Opens a station's existing log to write beside a kiosk that may be running: same pragmas and
 * migrations, but no crash recovery (an agent's session in progress must not be closed as abandoned).
 */
export function openStationLog(path: string): Database.Database {
  const db = new Database(path, { fileMustExist: true });
  try {
    applyWritePragmas(db);
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The identity recorded in the log for `seed`, or null when the log has none or another key. */
export function recordedIdentity(db: Database.Database, seed: Buffer): StationIdentity | null {
  const self = selfStation(db);
  if (!self) return null;
  const identity = identityFromSeed(seed, self.stationId);
  return identity.publicKey.equals(self.publicKey) ? identity : null;
}

// Binds a kiosk's log to its identity at start: the station id and key recorded, and a first checkpoint over what is there.
import type Database from 'better-sqlite3';
import { writeCheckpoint } from './checkpoints';
import { appendEvent } from './events';
import { establishIdentity, type StationIdentity } from './identity';
import { readSettings } from './settings';

/**
 * The identity for `seed`, recorded on first run; then a checkpoint signs whatever the log holds (a log
 * from before signing, sessions a crash left and the open just closed as abandoned).
 */
export function openStation(db: Database.Database, seed: Buffer, at: number): StationIdentity {
  const identity = establishIdentity(db, seed, readSettings(db).stationName, at, (e) =>
    appendEvent(db, { sessionId: null, step: null, ...e }),
  );
  writeCheckpoint(db, identity, 'open', at);
  return identity;
}

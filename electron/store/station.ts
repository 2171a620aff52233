// Binds a kiosk's log to its identity at start: the station id and key recorded, and a first checkpoint over what is there.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { writeCheckpoint } from './checkpoints';
import { appendEvent } from './events';
import { OutOfServiceError } from '../../shared/errors';
import { establishIdentity, identityFromSeed, selfStation, type StationIdentity } from './identity';
import { readInternal, readSettings, writeInternal } from './settings';

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

/**
 * Refuses a station key the log was not sealed with (`check` is the key's check value, never the key): every
 * device enrolled under the right one would fail its sign-in test. The first open with a check records it.
 */
export function checkStationKey(db: Database.Database, check: string): void {
  const recorded = readInternal(db, 'stationKeyCheck');
  if (recorded === undefined) writeInternal(db, 'stationKeyCheck', check);
  else if (recorded !== check) throw new OutOfServiceError('key_mismatch', 'the station key is not the one this log was sealed with');
}

/**
 * The log must be this station's: the one the data folder's marker names (null: no marker yet), signed by the
 * identity key at hand. A log put in from another station, or a new empty one, would otherwise be adopted.
 */
export function checkOwnLog(db: Database.Database, seed: Buffer, marker: string | null): void {
  const self = selfStation(db);
  if (marker !== null && marker !== '' && self?.stationId !== marker) {
    throw new OutOfServiceError('log_foreign', `the log belongs to station ${self?.stationId ?? '(none)'}, not ${marker}`);
  }
  if (self && !identityFromSeed(seed, self.stationId).publicKey.equals(self.publicKey)) {
    throw new OutOfServiceError('key_mismatch', 'the station identity key does not match the public key recorded in the log');
  }
}

/** A jump of the station's clock, as the clock watch reports it (engine/clock.ts). */
export interface NotedClockJump {
  direction: 'back' | 'forward';
  seconds: number;
  at: number;
}

/**
 * Logs a jump of the station's clock and holds it as unconfirmed: the retention purge waits until a supervisor
 * confirms the time (`confirmClockTime`). The event is written at the time the clock gave, like every other.
 */
export function noteClockJump(db: Database.Database, jump: NotedClockJump): void {
  db.transaction(() => {
    appendEvent(db, {
      sessionId: null,
      at: jump.at,
      step: null,
      type: jump.direction === 'back' ? 'clock_jumped_back' : 'clock_jumped_forward',
      details: { seconds: jump.seconds },
    });
    writeInternal(db, 'clockUnconfirmed', jump);
  }).immediate();
}

const NOTED_CLOCK_JUMP = z.object({ direction: z.enum(['back', 'forward']), seconds: z.number(), at: z.number() });

/** The last jump no supervisor has confirmed yet, or null (also for a value this kiosk did not write). */
export function unconfirmedClockJump(db: Database.Database): NotedClockJump | null {
  const parsed = NOTED_CLOCK_JUMP.safeParse(readInternal(db, 'clockUnconfirmed'));
  return parsed.success ? parsed.data : null;
}

/** A supervisor says the station's clock is right now: the purge runs again on it. */
export function confirmClockTime(db: Database.Database, at: number): void {
  db.transaction(() => {
    appendEvent(db, { sessionId: null, at, step: null, type: 'clock_confirmed' });
    writeInternal(db, 'clockUnconfirmed', null);
  }).immediate();
}

/** Forward by more than this since the last event is a jump (internal setting, default a day). */
export function clockJumpForwardMs(db: Database.Database, fallback: number): number {
  const value = readInternal(db, 'clockJumpForwardMs');
  return typeof value === 'number' && value > 0 ? value : fallback;
}

// A long day's log written the way the engine writes it (sessions, steps, a refusal, each end signed): for benches and the stall spec.
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { localDay } from '../../shared/days';
import { appendSigned } from '../../electron/store/checkpoints';
import { appendEvent } from '../../electron/store/events';
import type { StationIdentity } from '../../electron/store/identity';
import { openLog } from '../../electron/store/open';
import { closeSession, insertSession, recordStepReached } from '../../electron/store/sessions';
import { writeSettings } from '../../electron/store/settings';
import { openStation } from '../../electron/store/station';

/** session_started, six steps, one refusal, session_ended and its checkpoint: ten events a session, as a day's log has. */
export const EVENTS_PER_SESSION = 10;

/** When the last session of a day log of `events` events from `start` has ended: "now" for what reads all of it. */
export function dayLogEnd(events: number, start: number): number {
  return start + (Math.floor(events / EVENTS_PER_SESSION) + 1) * 60_000;
}

/** Appends about `events` events from `start` (one session a minute), in one transaction: what is timed is what reads them. */
export function fillDayLog(db: Database.Database, identity: StationIdentity, events: number, start: number): void {
  let at = start;
  const sessions = Math.floor(events / EVENTS_PER_SESSION);
  const write = db.transaction((n: number) => {
    at += 60_000;
    const id = insertSession(db, { station: 'bench', mode: 'enrolment', startedAt: at, day: localDay(at), furthestStep: 1 });
    appendEvent(db, { sessionId: id, at, step: 'welcome', type: 'session_started', details: { mode: 'enrolment', language: 'fr' } });
    for (let s = 2; s <= 7; s += 1) {
      appendEvent(db, { sessionId: id, at: at + s * 1000, step: 'identify', type: 'step', details: { from: 'welcome' } });
      recordStepReached(db, id, s);
    }
    appendEvent(db, { sessionId: id, at: at + 8000, step: 'confirm-device', type: 'error', code: 'code_wrong', details: {} });
    closeSession(db, id, n % 4 === 0 ? 'abandoned' : 'completed', at + 9000);
    appendSigned(db, identity, { sessionId: id, at: at + 9000, step: 'done', type: 'session_ended', details: {} });
  });
  db.transaction(() => {
    for (let n = 0; n < sessions; n += 1) write(n);
  })();
}

/**
 * A station's log of `events` events in `dir`/kiosk.db, with its identity. With `cacheDir` (BENCH_CACHE, kept
 * out of the repository, e.g. under /tmp) a log written once is copied from there: writing 5 million events
 * takes tens of minutes, and a before/after comparison must time the same log.
 */
export function dayLogStation(
  dir: string,
  name: string,
  events: number,
  start: number,
  cacheDir?: string,
): { db: Database.Database; identity: StationIdentity } {
  const path = join(dir, 'kiosk.db');
  const cached = cacheDir ? join(cacheDir, `${name}-${events}`) : null;
  mkdirSync(dir, { recursive: true });
  if (cached && existsSync(`${cached}.db`) && existsSync(`${cached}.seed`)) {
    copyFileSync(`${cached}.db`, path);
    const { db } = openLog(path);
    return { db, identity: openStation(db, readFileSync(`${cached}.seed`), start) };
  }
  const seed = randomBytes(32);
  const { db } = openLog(path);
  writeSettings(db, { stationName: name });
  const identity = openStation(db, seed, start);
  fillDayLog(db, identity, events, start);
  if (cached && cacheDir) {
    mkdirSync(cacheDir, { recursive: true });
    db.pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(path, `${cached}.db.part`);
    writeFileSync(`${cached}.seed`, seed);
    renameSync(`${cached}.db.part`, `${cached}.db`);
  }
  return { db, identity };
}

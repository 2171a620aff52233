// Retention: the purge of what is older than the retention period, and the erasure of one agent, each logged.
import type Database from 'better-sqlite3';
import { sqlEventList } from '../../shared/event-types';
import { PURGE_TRIGGERS, type PurgeTrigger } from '../../shared/supervisor-contract';
import type { PurgeCounts, PurgeRecord } from '../engine/supervisor/domain';
import { appendEvent, hashEvent, rowToEvent, type EventRow } from './events';
import { readInternal, writeInternal } from './settings';
import { sql, type Sql } from './statements';

const LAST_PURGE = 'lastPurge';
const SESSION_ID_FLOOR = 'sessionIdFloor';

const DAY_MS = 86_400_000;

// Walks the rowid from the oldest event and stops at the first one still kept: cost follows what is purged.
const FIRST_KEPT = sql<[cutoff: number], { id: number }>('SELECT id FROM events WHERE at >= ? ORDER BY id LIMIT 1');
const EVENT_IDS = sql<[], { first: number | null; last: number | null }>('SELECT min(id) AS first, max(id) AS last FROM events');
const EVENT = sql<[id: number], EventRow>('SELECT id, session_id, at, step, type, code, details, prev_hash FROM events WHERE id = ?');
const SET_ANCHOR = sql<[purgedThrough: number, hash: Buffer]>(`INSERT INTO log_anchor (id, purged_through, hash) VALUES (1, ?, ?)
  ON CONFLICT (id) DO UPDATE SET purged_through = excluded.purged_through, hash = excluded.hash`);
const DELETE_EVENTS = sql<[through: number]>('DELETE FROM events WHERE id <= ?');
// Sessions go with their closing event (the chain vouches for a row through it, store/verify.ts): a kiosk runs one
// session at a time, so sessions close in id order and every id up to the last closed in the purged range goes.
const LAST_PURGED_SESSION = sql<[through: number], { id: number | null }>(
  `SELECT max(session_id) AS id FROM events WHERE id <= ? AND type = ${sqlEventList(['session_ended'])}`,
);
const FIRST_SESSION = sql<[], { id: number | null }>('SELECT min(id) AS id FROM sessions');
const DELETE_SESSIONS = sql<[from: number, upTo: number]>('DELETE FROM sessions WHERE id >= ? AND id <= ? AND outcome IS NOT NULL');
// Other stations' rows have no chain to keep: each step takes the next rows by key, which a cutoff finds first.
// Each is looked for first, so that a purge with nothing to remove (most hours) takes no write lock at all.
const stationRows = (table: string, older: string) => ({
  any: sql<[cutoff: number]>(`SELECT 1 FROM ${table} WHERE ${older} < ? LIMIT 1`),
  remove: sql<[cutoff: number, limit: number]>(
    `DELETE FROM ${table} WHERE (station_id, id) IN (SELECT station_id, id FROM ${table} WHERE ${older} < ? LIMIT ?)`,
  ),
});
const STATION_ROWS = [
  stationRows('station_events', 'at'),
  stationRows('station_sessions', 'coalesce(ended_at, started_at)'),
  stationRows('station_devices', 'coalesce(sign_in_tested_at, activated_at, 0)'),
];
const ANY_AGENT = sql<[cutoff: number]>('SELECT 1 FROM agents WHERE last_seen_at < ? LIMIT 1');
const ANY_ROSTER = sql<[cutoff: number]>('SELECT 1 FROM roster WHERE imported_at < ? LIMIT 1');
const DELETE_AGENTS = sql<[cutoff: number]>('DELETE FROM agents WHERE last_seen_at < ?');
const DELETE_ROSTER = sql<[cutoff: number]>('DELETE FROM roster WHERE imported_at < ?');

/** What a purge removes, found in one read before any delete: the steps then work through it. */
export interface PurgePlan {
  cutoff: number;
  /** Events `firstEvent`..`through` go (none when through < firstEvent). */
  firstEvent: number;
  through: number;
  /** Closed sessions `firstSession`..`lastSession` go. */
  firstSession: number;
  lastSession: number;
}

export function planPurge(db: Database.Database, nowMs: number, retentionDays: number): PurgePlan {
  const cutoff = nowMs - retentionDays * DAY_MS;
  const kept = FIRST_KEPT.on(db).get(cutoff);
  const ids = EVENT_IDS.on(db).get();
  const through = kept ? kept.id - 1 : (ids?.last ?? 0);
  return {
    cutoff,
    firstEvent: ids?.first ?? 1,
    through,
    firstSession: FIRST_SESSION.on(db).get()?.id ?? 1,
    lastSession: LAST_PURGED_SESSION.on(db).get(through)?.id ?? 0,
  };
}

/** Rows per step: a step's transaction is a few tens of ms, so a kiosk write waiting for it is not noticed. */
export const PURGE_STEP_ROWS = 20_000;

export interface PurgeSteps {
  /** Events removed out of events to remove, after each step. */
  onProgress?: (done: number, total: number) => void;
  /** Read between steps: what the steps done removed stays removed (each left the log whole). */
  isCancelled?: () => boolean;
  /** Before each step's transaction: in the worker, lets the kiosk thread's own writes go first (writer-turn.ts). */
  beforeWrite?: () => void;
}

/**
 * Carries out `plan` in steps of PURGE_STEP_ROWS rows, each its own IMMEDIATE transaction that leaves the log
 * whole: the anchor records the hash of the step's last event before the events up to it go (the delete trigger
 * only allows ids at or below it), and the session id floor moves with the sessions (purged ids are never given
 * again, store/sessions insertSession: the chain still names them). Returns what was removed.
 */
export function runPurgeSteps(db: Database.Database, plan: PurgePlan, { onProgress, isCancelled = () => false, beforeWrite = () => {} }: PurgeSteps = {}): PurgeCounts {
  const counts: PurgeCounts = { sessions: 0, agents: 0, events: 0 };
  const total = Math.max(0, plan.through - plan.firstEvent + 1);
  const step = (fn: () => void) => {
    beforeWrite();
    db.transaction(fn).immediate();
  };
  for (let from = plan.firstEvent; from <= plan.through && !isCancelled(); from += PURGE_STEP_ROWS) {
    const upTo = Math.min(plan.through, from + PURGE_STEP_ROWS - 1);
    step(() => {
      const last = EVENT.on(db).get(upTo);
      if (!last) return;
      SET_ANCHOR.on(db).run(upTo, hashEvent(rowToEvent(last)));
      counts.events += DELETE_EVENTS.on(db).run(upTo).changes;
    });
    onProgress?.(counts.events, total);
  }
  for (let from = plan.firstSession; from <= plan.lastSession && !isCancelled(); from += PURGE_STEP_ROWS) {
    const upTo = Math.min(plan.lastSession, from + PURGE_STEP_ROWS - 1);
    step(() => {
      counts.sessions += DELETE_SESSIONS.on(db).run(from, upTo).changes;
      const floor = Number(readInternal(db, SESSION_ID_FLOOR) ?? 0);
      if (upTo > floor) writeInternal(db, SESSION_ID_FLOOR, upTo);
    });
  }
  const expired = (query: Sql<[cutoff: number], unknown>) => query.on(db).get(plan.cutoff) !== undefined;
  // What other stations' bundles brought is kept no longer than this station's own log.
  for (const rows of STATION_ROWS) {
    let removed = expired(rows.any) ? PURGE_STEP_ROWS : 0;
    while (removed === PURGE_STEP_ROWS && !isCancelled()) step(() => (removed = rows.remove.on(db).run(plan.cutoff, PURGE_STEP_ROWS).changes));
  }
  if (!isCancelled() && (expired(ANY_AGENT) || expired(ANY_ROSTER))) {
    step(() => {
      counts.agents = DELETE_AGENTS.on(db).run(plan.cutoff).changes;
      DELETE_ROSTER.on(db).run(plan.cutoff);
    });
  }
  return counts;
}

/** Logs a purge's counts in the chain and as the last purge, for the dashboard. */
export function recordPurge(db: Database.Database, nowMs: number, counts: PurgeCounts, retentionDays: number, trigger: PurgeTrigger): void {
  const details = { ...counts, retentionDays, trigger };
  appendEvent(db, { sessionId: null, at: nowMs, step: null, type: 'retention_purge', details });
  writeInternal(db, LAST_PURGE, { at: nowMs, ...details } satisfies PurgeRecord);
}

/**
 * Deletes events, the sessions they close, agents (with their devices) and roster lines older than
 * `retentionDays` (PRODUCT.md: 180 by default), and logs it, in one transaction: the purge of a log in memory,
 * and the tests' reference. A log on disk is purged in steps by the task worker (worker/task-worker.ts).
 */
export function purgeExpired(
  db: Database.Database,
  nowMs: number,
  retentionDays: number,
  trigger: PurgeTrigger = 'supervisor',
): PurgeCounts {
  return db.transaction(() => {
    const counts = runPurgeSteps(db, planPurge(db, nowMs, retentionDays));
    recordPurge(db, nowMs, counts, retentionDays, trigger);
    return counts;
  }).immediate();
}

function isPurgeRecord(value: unknown): value is PurgeRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const numbers = ['at', 'sessions', 'agents', 'events', 'retentionDays'].every((k) => typeof v[k] === 'number');
  return numbers && PURGE_TRIGGERS.some((t) => t === v.trigger);
}

/** When the last purge ran and what it removed; null before the first one. */
export function lastPurge(db: Database.Database): PurgeRecord | null {
  const value = readInternal(db, LAST_PURGE);
  return isPurgeRecord(value) ? value : null;
}

const AGENT_ID = sql<[email: string], { id: number }>('SELECT id FROM agents WHERE email = ?');
const DELETE_AGENT = sql<[id: number]>('DELETE FROM agents WHERE id = ?');
const DELETE_ROSTER_LINE = sql<[email: string]>('DELETE FROM roster WHERE email = ?');
const DELETE_STATION_DEVICES_OF = sql<[email: string]>('DELETE FROM station_devices WHERE email = ?');

/**
 * Erases one agent's personal data (their e-mail, devices and roster line). Their sessions stay as
 * anonymous figures (agent_id becomes NULL); the log records that an erasure happened, not whose.
 */
export function eraseAgentData(db: Database.Database, email: string, at: number): boolean {
  return db.transaction(() => {
    const agent = AGENT_ID.on(db).get(email);
    const agents = agent ? DELETE_AGENT.on(db).run(agent.id).changes : 0;
    const imported = DELETE_STATION_DEVICES_OF.on(db).run(email).changes;
    const removed = agents + imported + DELETE_ROSTER_LINE.on(db).run(email).changes;
    if (removed > 0) appendEvent(db, { sessionId: null, at, step: null, type: 'agent_erased' });
    return removed > 0;
  }).immediate();
}

// Retention: the purge of what is older than the retention period, and the erasure of one agent, each logged.
import type Database from 'better-sqlite3';
import { sqlEventList } from '../../shared/event-types';
import { PURGE_TRIGGERS, type PurgeTrigger } from '../../shared/supervisor-contract';
import type { PurgeCounts, PurgeRecord } from '../engine/supervisor/domain';
import { appendEvent, hashEvent, rowToEvent, type LogEvent } from './events';
import { readInternal, writeInternal } from './settings';
import { statement } from './statements';

const LAST_PURGE = 'lastPurge';
const SESSION_ID_FLOOR = 'sessionIdFloor';

const DAY_MS = 86_400_000;

// Walks the rowid from the oldest event and stops at the first one still kept: cost follows what is purged.
const FIRST_KEPT = 'SELECT id FROM events WHERE at >= ? ORDER BY id LIMIT 1';
const LAST_EVENT_ID = 'SELECT max(id) AS id FROM events';
const EVENT = 'SELECT id, session_id, at, step, type, code, details, prev_hash FROM events WHERE id = ?';
const SET_ANCHOR = `INSERT INTO log_anchor (id, purged_through, hash) VALUES (1, ?, ?)
  ON CONFLICT (id) DO UPDATE SET purged_through = excluded.purged_through, hash = excluded.hash`;
const DELETE_EVENTS = 'DELETE FROM events WHERE id <= ?';
// Sessions go with their closing event (the chain vouches for a row through it, store/verify.ts): a kiosk runs one
// session at a time, so sessions close in id order and every id up to the last closed in the purged range goes.
const LAST_PURGED_SESSION = `SELECT max(session_id) AS id FROM events WHERE id <= ? AND type = ${sqlEventList(['session_ended'])}`;
const DELETE_SESSIONS = 'DELETE FROM sessions WHERE id <= ? AND outcome IS NOT NULL';
const DELETE_STATION_EVENTS = 'DELETE FROM station_events WHERE at < ?';
const DELETE_STATION_SESSIONS = 'DELETE FROM station_sessions WHERE coalesce(ended_at, started_at) < ?';
const DELETE_STATION_DEVICES = 'DELETE FROM station_devices WHERE coalesce(sign_in_tested_at, activated_at, 0) < ?';
const DELETE_AGENTS = 'DELETE FROM agents WHERE last_seen_at < ?';
const DELETE_ROSTER = 'DELETE FROM roster WHERE imported_at < ?';

/**
 * Deletes events, the sessions they close, agents (with their devices) and roster lines older than
 * `retentionDays` (PRODUCT.md: 180 by default). The chain stays verifiable: the anchor records the
 * hash of the last purged event before the events go, and the delete trigger only allows ids at or
 * below it. One transaction: a crash mid-purge leaves the log as it was.
 */
export function purgeExpired(
  db: Database.Database,
  nowMs: number,
  retentionDays: number,
  trigger: PurgeTrigger = 'supervisor',
): PurgeCounts {
  const cutoff = nowMs - retentionDays * DAY_MS;
  return db.transaction(() => {
    const kept = statement(db, FIRST_KEPT).get(cutoff) as { id: number } | undefined;
    const last = (statement(db, LAST_EVENT_ID).get() as { id: number | null }).id ?? 0;
    const through = kept ? kept.id - 1 : last;
    let events = 0;
    const lastSession = (statement(db, LAST_PURGED_SESSION).get(through) as { id: number | null }).id ?? 0;
    const lastPurged =
      through > 0 ? (statement(db, EVENT).get(through) as Parameters<typeof rowToEvent>[0] | undefined) : undefined;
    if (lastPurged) {
      const event: LogEvent = rowToEvent(lastPurged);
      statement(db, SET_ANCHOR).run(through, hashEvent(event));
      events = statement(db, DELETE_EVENTS).run(through).changes;
    }
    const sessions = statement(db, DELETE_SESSIONS).run(lastSession).changes;
    // Purged ids are never given again (store/sessions insertSession): the chain still names them.
    const floor = Number(readInternal(db, SESSION_ID_FLOOR) ?? 0);
    if (lastSession > floor) writeInternal(db, SESSION_ID_FLOOR, lastSession);
    // What other stations' bundles brought is kept no longer than this station's own log.
    for (const sql of [DELETE_STATION_EVENTS, DELETE_STATION_SESSIONS, DELETE_STATION_DEVICES]) statement(db, sql).run(cutoff);
    const agents = statement(db, DELETE_AGENTS).run(cutoff).changes;
    statement(db, DELETE_ROSTER).run(cutoff);
    const counts = { sessions, agents, events };
    const details = { ...counts, retentionDays, trigger };
    appendEvent(db, { sessionId: null, at: nowMs, step: null, type: 'retention_purge', details });
    writeInternal(db, LAST_PURGE, { at: nowMs, ...details } satisfies PurgeRecord);
    return counts;
  })();
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

const AGENT_ID = 'SELECT id FROM agents WHERE email = ?';
const DELETE_AGENT = 'DELETE FROM agents WHERE id = ?';
const DELETE_ROSTER_LINE = 'DELETE FROM roster WHERE email = ?';
const DELETE_STATION_DEVICES_OF = 'DELETE FROM station_devices WHERE email = ?';

/**
 * Erases one agent's personal data (their e-mail, devices and roster line). Their sessions stay as
 * anonymous figures (agent_id becomes NULL); the log records that an erasure happened, not whose.
 */
export function eraseAgentData(db: Database.Database, email: string, at: number): boolean {
  return db.transaction(() => {
    const agent = statement(db, AGENT_ID).get(email) as { id: number } | undefined;
    const agents = agent ? statement(db, DELETE_AGENT).run(agent.id).changes : 0;
    const imported = statement(db, DELETE_STATION_DEVICES_OF).run(email).changes;
    const removed = agents + imported + statement(db, DELETE_ROSTER_LINE).run(email).changes;
    if (removed > 0) appendEvent(db, { sessionId: null, at, step: null, type: 'agent_erased' });
    return removed > 0;
  })();
}

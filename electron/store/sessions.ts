// Session rows: opened at start, updated as the agent moves on, closed once with an outcome.
import type Database from 'better-sqlite3';
import type { SessionRecord } from '../engine/domain';
import type { Mode, Outcome } from '../../shared/steps';
import { appendEvent } from './events';
import { statement } from './statements';

interface SessionRow {
  id: number;
  station: string;
  mode: Mode;
  agent_id: number | null;
  started_at: number;
  day: number;
  ended_at: number | null;
  duration_ms: number | null;
  outcome: Outcome | null;
  furthest_step: number;
  sign_in_method: string | null;
}

export function rowToSession(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    station: row.station,
    mode: row.mode,
    agentId: row.agent_id,
    startedAt: row.started_at,
    day: row.day,
    endedAt: row.ended_at,
    durationMs: row.duration_ms,
    outcome: row.outcome,
    furthestStep: row.furthest_step,
    signInMethod: row.sign_in_method,
  };
}

// Never below the ids a purge removed (the settings row "internal.sessionIdFloor"): SQLite would otherwise
// reuse the id of a purged last session, and the chain's events of two sessions would share one id.
const INSERT = `INSERT INTO sessions (id, station, mode, started_at, day, furthest_step) VALUES (
  max(coalesce((SELECT max(id) FROM sessions), 0),
      coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'internal.sessionIdFloor'), 0)) + 1,
  ?, ?, ?, ?, ?)`;
const GET = 'SELECT * FROM sessions WHERE id = ?';
const SET_AGENT = 'UPDATE sessions SET agent_id = ? WHERE id = ?';
const REACH = 'UPDATE sessions SET furthest_step = max(furthest_step, ?) WHERE id = ?';
const SET_METHOD = 'UPDATE sessions SET sign_in_method = ? WHERE id = ?';
const CLOSE =
  'UPDATE sessions SET outcome = ?, ended_at = ?, duration_ms = ? - started_at WHERE id = ? AND outcome IS NULL';
const OPEN_IDS = 'SELECT id FROM sessions WHERE outcome IS NULL';

export function insertSession(
  db: Database.Database,
  s: { station: string; mode: Mode; startedAt: number; day: number; furthestStep: number },
): number {
  return Number(statement(db, INSERT).run(s.station, s.mode, s.startedAt, s.day, s.furthestStep).lastInsertRowid);
}

export function getSession(db: Database.Database, id: number): SessionRecord | null {
  const row = statement(db, GET).get(id) as SessionRow | undefined;
  return row ? rowToSession(row) : null;
}

export function setSessionAgent(db: Database.Database, id: number, agentId: number | null): void {
  statement(db, SET_AGENT).run(agentId, id);
}

export function recordStepReached(db: Database.Database, id: number, stepIndex: number): void {
  statement(db, REACH).run(stepIndex, id);
}

export function setSessionSignInMethod(db: Database.Database, id: number, method: string | null): void {
  statement(db, SET_METHOD).run(method, id);
}

/** Closes a session once; returns false if it was already closed (an outcome is never rewritten). */
export function closeSession(db: Database.Database, id: number, outcome: Outcome, at: number): boolean {
  return statement(db, CLOSE).run(outcome, at, at, id).changes === 1;
}

/**
 * A session's closing event carries the figures the dashboard and report count (outcome, mode, day,
 * duration, furthest step, sign-in method), so the chain covers them and verification can compare the
 * `sessions` row with them: an outcome changed in the table no longer goes unnoticed.
 */
export function sessionEndDetails(db: Database.Database, sessionId: number): Record<string, string | number | null> {
  const s = getSession(db, sessionId);
  if (!s) return {};
  return {
    outcome: s.outcome,
    mode: s.mode,
    startedAt: s.startedAt,
    day: s.day,
    endedAt: s.endedAt,
    durationMs: s.durationMs,
    furthestStep: s.furthestStep,
    signInMethod: s.signInMethod,
  };
}

/**
 * Sessions a crash left open are closed as abandoned (PRODUCT.md "The log"), each with its
 * closing event in the chain. Returns how many.
 */
export function abandonOpenSessions(db: Database.Database, at: number): number {
  return db.transaction(() => {
    const ids = (statement(db, OPEN_IDS).all() as { id: number }[]).map((r) => r.id);
    for (const id of ids) {
      closeSession(db, id, 'abandoned', at);
      appendEvent(db, {
        sessionId: id,
        at,
        step: null,
        type: 'session_ended',
        details: { ...sessionEndDetails(db, id), recovered: true },
      });
    }
    return ids.length;
  })();
}

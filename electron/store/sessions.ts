// Session rows: opened at start, updated as the agent moves on, closed once with an outcome.
import type Database from 'better-sqlite3';
import type { SessionRecord } from '../engine/domain';
import type { Mode, Outcome } from '../../shared/steps';
import { appendEvent } from './events';
import { sql } from './statements';

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
const INSERT = sql<[station: string, mode: Mode, startedAt: number, day: number, furthestStep: number]>(`INSERT INTO sessions (id, station, mode, started_at, day, furthest_step) VALUES (
  max(coalesce((SELECT max(id) FROM sessions), 0),
      coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'internal.sessionIdFloor'), 0)) + 1,
  ?, ?, ?, ?, ?)`);
const GET = sql<[id: number], SessionRow>('SELECT * FROM sessions WHERE id = ?');
const SET_AGENT = sql<[agentId: number | null, id: number]>('UPDATE sessions SET agent_id = ? WHERE id = ?');
const REACH = sql<[stepIndex: number, id: number]>('UPDATE sessions SET furthest_step = max(furthest_step, ?) WHERE id = ?');
const SET_METHOD = sql<[method: string | null, id: number]>('UPDATE sessions SET sign_in_method = ? WHERE id = ?');
const CLOSE = sql<[outcome: Outcome, endedAt: number, endedAtAgain: number, id: number]>(
  'UPDATE sessions SET outcome = ?, ended_at = ?, duration_ms = ? - started_at WHERE id = ? AND outcome IS NULL',
);
const OPEN_IDS = sql<[], { id: number }>('SELECT id FROM sessions WHERE outcome IS NULL');

export function insertSession(
  db: Database.Database,
  s: { station: string; mode: Mode; startedAt: number; day: number; furthestStep: number },
): number {
  return Number(INSERT.on(db).run(s.station, s.mode, s.startedAt, s.day, s.furthestStep).lastInsertRowid);
}

export function getSession(db: Database.Database, id: number): SessionRecord | null {
  const row = GET.on(db).get(id);
  return row ? rowToSession(row) : null;
}

export function setSessionAgent(db: Database.Database, id: number, agentId: number | null): void {
  SET_AGENT.on(db).run(agentId, id);
}

export function recordStepReached(db: Database.Database, id: number, stepIndex: number): void {
  REACH.on(db).run(stepIndex, id);
}

export function setSessionSignInMethod(db: Database.Database, id: number, method: string | null): void {
  SET_METHOD.on(db).run(method, id);
}

/** Closes a session once; returns false if it was already closed (an outcome is never rewritten). */
export function closeSession(db: Database.Database, id: number, outcome: Outcome, at: number): boolean {
  return CLOSE.on(db).run(outcome, at, at, id).changes === 1;
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
    const ids = OPEN_IDS.on(db).all().map((r) => r.id);
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
  }).immediate();
}

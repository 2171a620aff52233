// The supervisor console's reads and erasures: dashboard figures, roster progress, unlocking and erasing one agent.
import type Database from 'better-sqlite3';
import type { Outcome, Mode } from '../../shared/steps';
import { statement } from './statements';

/** Binds for "no lower bound": every day number and timestamp is above it. */
export const NO_LOWER_BOUND = Number.MIN_SAFE_INTEGER;

export interface OutcomeCount {
  outcome: Outcome | null;
  mode: Mode;
  count: number;
}

const OUTCOMES_SINCE = `SELECT outcome, mode, count(*) AS n FROM sessions WHERE day >= ? GROUP BY outcome, mode`;
const COMPLETED_COUNT = `SELECT count(*) AS n FROM sessions WHERE outcome = 'completed' AND day >= ?`;
// The (outcome, duration_ms, day) index walks these in order: the median is read, not computed over every row.
const COMPLETED_DURATIONS_AT = `SELECT duration_ms AS d FROM sessions
  WHERE outcome = 'completed' AND day >= ? ORDER BY duration_ms LIMIT ? OFFSET ?`;
const FURTHEST_SINCE = `SELECT furthest_step AS step, count(*) AS n FROM sessions WHERE day >= ? GROUP BY furthest_step`;
// Refusals of the guided session only: the console's own (wrong passphrase) have no session.
const ERRORS_SINCE = `SELECT code, count(*) AS n FROM events
  WHERE code IS NOT NULL AND at >= ? AND session_id IS NOT NULL GROUP BY code ORDER BY n DESC, code LIMIT ?`;
const DIFFICULTIES_SINCE = `SELECT coalesce(step, '') AS step, code, count(*) AS n FROM events
  WHERE code IS NOT NULL AND at >= ? AND session_id IS NOT NULL GROUP BY step, code ORDER BY step, n DESC, code`;

export function outcomeCounts(db: Database.Database, sinceDay: number): OutcomeCount[] {
  const rows = statement(db, OUTCOMES_SINCE).all(sinceDay) as { outcome: Outcome | null; mode: Mode; n: number }[];
  return rows.map((r) => ({ outcome: r.outcome, mode: r.mode, count: r.n }));
}

/** Median duration of the completed sessions since `sinceDay`, or null when there are none. */
export function medianCompletedDuration(db: Database.Database, sinceDay: number): number | null {
  const { n } = statement(db, COMPLETED_COUNT).get(sinceDay) as { n: number };
  if (n === 0) return null;
  const middle = statement(db, COMPLETED_DURATIONS_AT).all(sinceDay, n % 2 === 0 ? 2 : 1, Math.floor((n - 1) / 2)) as {
    d: number | null;
  }[];
  const values = middle.map((r) => r.d ?? 0);
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** How many sessions stopped at each furthest step index. */
export function furthestStepCounts(db: Database.Database, sinceDay: number): Map<number, number> {
  const rows = statement(db, FURTHEST_SINCE).all(sinceDay) as { step: number; n: number }[];
  return new Map(rows.map((r) => [r.step, r.n]));
}

export function topErrorCodes(db: Database.Database, sinceMs: number, limit: number): { code: string; count: number }[] {
  const rows = statement(db, ERRORS_SINCE).all(sinceMs, limit) as { code: string; n: number }[];
  return rows.map((r) => ({ code: r.code, count: r.n }));
}

export function errorsByStep(db: Database.Database, sinceMs: number): { step: string; code: string; count: number }[] {
  const rows = statement(db, DIFFICULTIES_SINCE).all(sinceMs) as { step: string; code: string; n: number }[];
  return rows.map((r) => ({ step: r.step, code: r.code, count: r.n }));
}

// The newest code checks first, walking the rowid back and stopping at the limit: no index needed on a time-ordered log.
// An accepted code is within ±1 step (at most 30 s off), counted as 0; a clock_offset refusal carries the measured offset.
const RECENT_CLOCK_OFFSETS = `SELECT CASE WHEN code = 'clock_offset' THEN coalesce(json_extract(details, '$.seconds'), 0)
    ELSE coalesce(json_extract(details, '$.offsetSeconds'), 0) END AS seconds
  FROM events
  WHERE at >= ? AND (code = 'clock_offset' OR (code IS NULL AND type IN ('device_registered', 'sign_in_test')))
  ORDER BY id DESC LIMIT ?`;

export function recentClockOffsets(db: Database.Database, sinceMs: number, limit: number): number[] {
  const rows = statement(db, RECENT_CLOCK_OFFSETS).all(sinceMs, limit) as { seconds: number }[];
  return rows.map((r) => Number(r.seconds));
}

export interface RosterProgressRow {
  email: string;
  name: string;
  service: string;
  registered: boolean;
  tested: boolean;
}

const ROSTER_PROGRESS = `SELECT r.email AS email, r.name AS name, r.service AS service,
    coalesce(max(d.activated_at IS NOT NULL), 0) AS registered,
    coalesce(max(d.sign_in_tested_at IS NOT NULL), 0) AS tested
  FROM roster r
  LEFT JOIN agents a ON a.email = r.email
  LEFT JOIN devices d ON d.agent_id = a.id
  GROUP BY r.email
  ORDER BY r.service, r.name, r.email`;

export function rosterProgress(db: Database.Database): RosterProgressRow[] {
  const rows = statement(db, ROSTER_PROGRESS).all() as {
    email: string;
    name: string;
    service: string;
    registered: number;
    tested: number;
  }[];
  return rows.map((r) => ({
    email: r.email,
    name: r.name,
    service: r.service,
    registered: r.registered === 1,
    tested: r.tested === 1,
  }));
}

const DELETE_LOCKED_DEVICES = `DELETE FROM devices WHERE status = 'locked'
  AND agent_id = (SELECT id FROM agents WHERE email = ?)`;

/** A locked device has already lost its secret (store/agents lockDevice): removing it lets the agent enrol again. */
export function deleteLockedDevices(db: Database.Database, email: string): number {
  return statement(db, DELETE_LOCKED_DEVICES).run(email).changes;
}

const DELETE_AGENT_BY_EMAIL = 'DELETE FROM agents WHERE email = ?';
const DELETE_ROSTER_ENTRY = 'DELETE FROM roster WHERE email = ?';

/**
 * Erases one agent: their row (devices cascade, sessions keep their figures with agent_id set to
 * NULL) and their roster line. Returns whether anything of theirs was there.
 */
export function deleteAgentData(db: Database.Database, email: string): boolean {
  return db.transaction(() => {
    const agent = statement(db, DELETE_AGENT_BY_EMAIL).run(email).changes;
    const roster = statement(db, DELETE_ROSTER_ENTRY).run(email).changes;
    return agent + roster > 0;
  })();
}

/**
 * Makes deleted rows unrecoverable from the files: SQLite leaves deleted cells (and the older
 * copies an UPDATE moved) in free space and in the WAL. VACUUM rewrites the file from live rows
 * only and the TRUNCATE checkpoint empties the WAL. Costs a rewrite of a small file, on a rare action.
 */
export function scrubFreedSpace(db: Database.Database): void {
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
}

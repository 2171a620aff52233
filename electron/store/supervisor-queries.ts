// The supervisor console's reads and erasures: dashboard figures, roster progress, unlocking and erasing one agent.
import type Database from 'better-sqlite3';
import { ERROR_CODES } from '../../shared/errors';
import { STEP_IDS } from '../../shared/steps';
import type { Period } from '../engine/domain';
import type { RosterProgressRow } from '../engine/supervisor/domain';
import { sql } from './statements';

// Refusals of the guided session only (the console's own have no session), by the step they happened at: the report's
// "difficulties by step". The (code, at, session_id) index covers it, one range per known code.
const DIFFICULTIES = sql<[fromMs: number, toMs: number], { step: string; code: string; n: number }>(`SELECT coalesce(step, '') AS step, code, count(*) AS n FROM events
  WHERE code IN (${ERROR_CODES.map((c) => `'${c}'`).join(', ')}) AND at >= ? AND at < ? AND session_id IS NOT NULL
  GROUP BY step, code`);

export function errorsByStep(db: Database.Database, p: Period): { step: string; code: string; count: number }[] {
  const rows = DIFFICULTIES.on(db).all(p.fromMs, p.toMs);
  const order = (step: string) => STEP_IDS.findIndex((id) => id === step);
  return rows
    .map((r) => ({ step: r.step, code: r.code, count: r.n }))
    .sort((a, b) => order(a.step) - order(b.step) || b.count - a.count || a.code.localeCompare(b.code));
}

// What the agent did, not only what their devices are now: a device a supervisor removed (unlocked) or the agent
// removed still counts as registered and tested for the day's roster, as its sessions say (sessions_agent index).
const ROSTER_PROGRESS = sql<
  [registeredStep: number],
  { email: string; name: string; service: string; registered: number; tested: number }
>(`SELECT r.email AS email, r.name AS name, r.service AS service,
    coalesce(max(d.activated_at IS NOT NULL), 0)
      OR EXISTS (SELECT 1 FROM sessions s WHERE s.agent_id = a.id AND s.furthest_step >= ?) AS registered,
    coalesce(max(d.sign_in_tested_at IS NOT NULL), 0)
      OR EXISTS (SELECT 1 FROM sessions s WHERE s.agent_id = a.id AND s.outcome = 'completed') AS tested
  FROM roster r
  LEFT JOIN agents a ON a.email = r.email
  LEFT JOIN devices d ON d.agent_id = a.id
  GROUP BY r.email
  ORDER BY r.service, r.name, r.email`);

export function rosterProgress(db: Database.Database): RosterProgressRow[] {
  return ROSTER_PROGRESS.on(db).all(STEP_IDS.indexOf('registered')).map((r) => ({
    email: r.email,
    name: r.name,
    service: r.service,
    registered: r.registered === 1,
    tested: r.tested === 1,
  }));
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

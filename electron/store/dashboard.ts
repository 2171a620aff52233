// The supervisor's dashboard figures, each one query on an index range (tests/unit/store/dashboard.test.ts reads the plans).
import type Database from 'better-sqlite3';
import { ERROR_CODES } from '../../shared/errors';
import { ACCEPTED_CODE_EVENTS, sqlEventList } from '../../shared/event-types';
import { STEP_IDS, type Mode, type Outcome } from '../../shared/steps';
import type { Period } from '../engine/domain';
import type { ClockJump, ClockOffset, CompletionRate, DayOutcomeCount, FunnelStep } from '../engine/supervisor/domain';
import { sql } from './statements';

const DAY_MS = 86_400_000;

/** today / last 7 days / all, for the station's local time (`localDay` is the engine's day function). */
export function dashboardPeriod(kind: 'today' | '7d' | 'all', nowMs: number, localDay: (ms: number) => number): Period {
  const today = localDay(nowMs);
  if (kind === 'all') return { fromDay: Number.MIN_SAFE_INTEGER, toDay: today, fromMs: 0, toMs: nowMs + 1 };
  const days = kind === 'today' ? 1 : 7;
  const fromDay = today - days + 1;
  // The first millisecond of `fromDay` in local time: step back whole days from now, then to local midnight.
  const offsetMs = new Date(nowMs).getTimezoneOffset() * 60_000;
  const fromMs = fromDay * DAY_MS + offsetMs;
  return { fromDay, toDay: today, fromMs, toMs: nowMs + 1 };
}

type DayRange = [fromDay: number, toDay: number];

const BY_DAY_OUTCOME = sql<DayRange, { day: number; outcome: Outcome | null; mode: Mode; n: number }>(
  `SELECT day, outcome, mode, count(*) AS n FROM sessions WHERE day >= ? AND day <= ? GROUP BY day, outcome, mode`,
);

/** Sessions per local day, outcome (null: still open) and mode. */
export function countsByDayAndOutcome(db: Database.Database, p: Period): DayOutcomeCount[] {
  const rows = BY_DAY_OUTCOME.on(db).all(p.fromDay, p.toDay);
  return rows.map((r) => ({ day: r.day, outcome: r.outcome, mode: r.mode, count: r.n }));
}

/** Completed over ended sessions (open ones are not yet a result either way). */
export function completionRate(db: Database.Database, p: Period): CompletionRate {
  let ended = 0;
  let completed = 0;
  for (const c of countsByDayAndOutcome(db, p)) {
    if (c.outcome === null) continue;
    ended += c.count;
    if (c.outcome === 'completed') completed += c.count;
  }
  return { ended, completed, rate: ended === 0 ? null : completed / ended };
}

const COMPLETED_COUNT = sql<DayRange, { n: number }>(
  `SELECT count(*) AS n FROM sessions WHERE outcome = 'completed' AND day >= ? AND day <= ?`,
);
// Walks the (outcome, duration_ms, day) index in duration order and stops at the middle: nothing is sorted.
const COMPLETED_DURATION_AT = sql<[...DayRange, limit: number, offset: number], { d: number }>(`SELECT duration_ms AS d FROM sessions
  WHERE outcome = 'completed' AND day >= ? AND day <= ? ORDER BY duration_ms LIMIT ? OFFSET ?`);

/** Median duration (ms) of the sessions completed in the period, null if none. */
export function medianDuration(db: Database.Database, p: Period): number | null {
  const n = COMPLETED_COUNT.on(db).get(p.fromDay, p.toDay)?.n ?? 0;
  if (n === 0) return null;
  const middle = COMPLETED_DURATION_AT.on(db).all(p.fromDay, p.toDay, n % 2 === 0 ? 2 : 1, (n - 1) >> 1);
  return middle.reduce((sum, r) => sum + r.d, 0) / middle.length;
}

// One index range per step value (IN on the leading column), grouped in index order.
const FURTHEST = sql<DayRange, { step: number; n: number }>(`SELECT furthest_step AS step, count(*) AS n FROM sessions
  WHERE furthest_step IN (${STEP_IDS.map((_, i) => i).join(', ')}) AND day >= ? AND day <= ? GROUP BY furthest_step`);

export function funnel(db: Database.Database, p: Period): FunnelStep[] {
  return funnelFrom(FURTHEST.on(db).all(p.fromDay, p.toDay));
}

/** Sessions that stopped at each step, summed from the last step back: those that reached it or went further. */
export function funnelFrom(rows: readonly { step: number; n: number }[]): FunnelStep[] {
  const stoppedAt = new Map(rows.map((r) => [r.step, r.n]));
  let reached = 0;
  const out: FunnelStep[] = [];
  for (let i = STEP_IDS.length - 1; i >= 0; i--) {
    reached += stoppedAt.get(i) ?? 0;
    out.unshift({ step: STEP_IDS[i] ?? 'welcome', reached });
  }
  return out;
}

// IN over the known codes turns "code IS NOT NULL" into one covered range per code, already grouped.
type MsRange = [fromMs: number, toMs: number];

const ERRORS = sql<MsRange, { code: string; n: number }>(`SELECT code, count(*) AS n FROM events
  WHERE code IN (${ERROR_CODES.map((c) => `'${c}'`).join(', ')}) AND at >= ? AND at < ? AND session_id IS NOT NULL
  GROUP BY code`);

/** The guided session's most frequent refusals in the period (the console's own have no session). */
export function topErrorCodes(db: Database.Database, p: Period, limit = 5): { code: string; count: number }[] {
  const rows = ERRORS.on(db).all(p.fromMs, p.toMs);
  // At most one row per error code: sorting a few dozen rows here beats a temp B-tree in SQL.
  return rows
    .map((r) => ({ code: r.code, count: r.n }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
    .slice(0, limit);
}

type OffsetRow = { at: number; session_id: number | null; details: string | null };

const REFUSED_OFFSETS = sql<[...MsRange, limit: number], OffsetRow>(`SELECT at, session_id, details FROM events
  WHERE code = 'clock_offset' AND at >= ? AND at < ? ORDER BY at DESC LIMIT ?`);
// A refused sign-in test is a sign_in_test event too (result 'refused'); its offset, if any, is on its error event.
// Events from before the result was recorded were all accepted ones.
const ACCEPTED_OFFSETS = sql<[...MsRange, limit: number], OffsetRow>(`SELECT at, session_id, details FROM events
  WHERE type IN (${sqlEventList(ACCEPTED_CODE_EVENTS)}) AND at >= ? AND at < ?
    AND coalesce(details ->> '$.result', 'accepted') = 'accepted' ORDER BY at DESC LIMIT ?`);

function offsetOf(details: string | null, key: string): number {
  const value: unknown = details ? (JSON.parse(details) as Record<string, unknown>)[key] : 0;
  return typeof value === 'number' ? value : 0;
}

/** The newest phone clock offsets measured in the period, refused or accepted, newest first. */
export function clockOffsets(db: Database.Database, p: Period, limit = 50): ClockOffset[] {
  const refused = REFUSED_OFFSETS.on(db).all(p.fromMs, p.toMs, limit).map((r) => ({
    at: r.at,
    sessionId: r.session_id,
    seconds: offsetOf(r.details, 'seconds'),
    accepted: false,
  }));
  const accepted = ACCEPTED_OFFSETS.on(db).all(p.fromMs, p.toMs, limit).map((r) => ({
    at: r.at,
    sessionId: r.session_id,
    seconds: offsetOf(r.details, 'offsetSeconds'),
    accepted: true,
  }));
  return [...refused, ...accepted].sort((a, b) => b.at - a.at).slice(0, limit);
}

const CLOCK_JUMPS = sql<[...MsRange, limit: number], { at: number; details: string | null }>(`SELECT at, details FROM events
  WHERE type = ${sqlEventList(['clock_jumped_back'])} AND at >= ? AND at < ? ORDER BY at DESC LIMIT ?`);

/** The times the station clock went back (logged by the engine at a session start), newest first. */
export function clockJumps(db: Database.Database, p: Period, limit = 20): ClockJump[] {
  const rows = CLOCK_JUMPS.on(db).all(p.fromMs, p.toMs, limit);
  return rows.map((r) => ({ at: r.at, seconds: offsetOf(r.details, 'seconds') }));
}

/** Every dashboard query's SQL, so a test can read their plans. */
export const DASHBOARD_SQL = [
  BY_DAY_OUTCOME.text,
  COMPLETED_COUNT.text,
  COMPLETED_DURATION_AT.text,
  FURTHEST.text,
  ERRORS.text,
  REFUSED_OFFSETS.text,
  ACCEPTED_OFFSETS.text,
  CLOCK_JUMPS.text,
] as const;

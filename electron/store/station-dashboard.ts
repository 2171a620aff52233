// The dashboard's figures over other stations' imported logs, or over all stations: the same queries on another source.
import type Database from 'better-sqlite3';
import { ERROR_CODES } from '../../shared/errors';
import { STEP_IDS, type Mode, type Outcome } from '../../shared/steps';
import { ACCEPTED_CODE_EVENTS, sqlEventList } from '../../shared/event-types';
import type { Period } from '../engine/domain';
import * as local from './dashboard';
import { funnelFrom } from './dashboard';
import type { ClockJump, ClockOffset, DayOutcomeCount, FunnelStep, StationScope } from '../engine/supervisor/domain';
import { errorsByStep as errorsByStepLocal } from './supervisor-queries';
import { sql } from './statements';

/** Internally, "all" sums this station's figures and those of every imported station, each read on its own indexes. */
type SourceScope = StationScope | { kind: 'imported' };

/** A source whose WHERE holds the period's own placeholders: `bind` gives every parameter in order. */
interface FilteredSource {
  sql: string;
  bind(...periodParams: unknown[]): unknown[];
}

const EVENT_COLUMNS = 'session_id, at, step, type, code, details';

/** Events of the period only, so the union reads index ranges rather than two whole tables. */
function events(scope: SourceScope, where: string): FilteredSource {
  if (scope.kind === 'imported') {
    return { sql: `(SELECT ${EVENT_COLUMNS} FROM station_events WHERE ${where})`, bind: (...period) => period };
  }
  if (scope.kind === 'all') {
    return {
      sql: `(SELECT ${EVENT_COLUMNS} FROM events WHERE ${where} UNION ALL SELECT ${EVENT_COLUMNS} FROM station_events WHERE ${where})`,
      bind: (...period) => [...period, ...period],
    };
  }
  const { stationId } = scope;
  return {
    // "+station_id": the station's rows are found through the period's index range, not by walking its primary key.
    sql: `(SELECT ${EVENT_COLUMNS} FROM station_events WHERE +station_id = ? AND ${where})`,
    bind: (...period) => [stationId, ...period],
  };
}

/** Imported sessions' counts (migration 006), for every imported station or one: `day` bounds are the period's. */
function sessionCounts(scope: SourceScope): { where: string; params: unknown[] } {
  return scope.kind === 'station' ? { where: 'station_id = ? AND', params: [scope.stationId] } : { where: '', params: [] };
}

export function countsByDayAndOutcome(db: Database.Database, scope: SourceScope, p: Period): DayOutcomeCount[] {
  // The dashboard adds the rows up: this station's (on its own indexes) and the imported ones' counts.
  if (scope.kind === 'all') return [...local.countsByDayAndOutcome(db, p), ...countsByDayAndOutcome(db, { kind: 'imported' }, p)];
  const { where, params } = sessionCounts(scope);
  const sql = `SELECT day, nullif(outcome, '') AS outcome, mode, sum(n) AS n FROM station_session_counts
    WHERE ${where} day >= ? AND day <= ? GROUP BY day, outcome, mode HAVING sum(n) > 0`;
  const rows = db
    .prepare<unknown[], { day: number; outcome: Outcome | null; mode: Mode; n: number }>(sql)
    .all(...params, p.fromDay, p.toDay);
  return rows.map((r) => ({ day: r.day, outcome: r.outcome, mode: r.mode, count: r.n }));
}

const COMPLETED_IN = `outcome = 'completed' AND day >= ? AND day <= ?`;
const LOCAL_COMPLETED = sql<[fromDay: number, toDay: number], number>(`SELECT count(*) FROM sessions WHERE ${COMPLETED_IN}`);
// Each arm walks its (outcome, duration_ms, …) index in duration order; SQLite merges the two, nothing is sorted.
const ALL_DURATIONS_AT = sql<[fromDay: number, toDay: number, fromDay: number, toDay: number, take: number, skip: number], { d: number }>(
  `SELECT duration_ms AS d FROM sessions WHERE ${COMPLETED_IN}
    UNION ALL SELECT duration_ms FROM station_sessions WHERE ${COMPLETED_IN} ORDER BY 1 LIMIT ? OFFSET ?`,
);
const STATION_DURATIONS_AT = sql<[fromDay: number, toDay: number, stationId: string, take: number, skip: number], { d: number }>(
  `SELECT duration_ms AS d FROM station_sessions WHERE ${COMPLETED_IN} AND station_id = ? ORDER BY duration_ms LIMIT ? OFFSET ?`,
);

export function medianDuration(db: Database.Database, scope: StationScope, p: Period): number | null {
  const counted = (s: SourceScope) => {
    const { where, params } = sessionCounts(s);
    const sql = `SELECT coalesce(sum(n), 0) FROM station_session_counts WHERE ${where} ${COMPLETED_IN}`;
    return db.prepare<unknown[], number>(sql).pluck().get(...params, p.fromDay, p.toDay) ?? 0;
  };
  const local = LOCAL_COMPLETED.on(db).pluck();
  const n = scope.kind === 'all' ? (local.get(p.fromDay, p.toDay) ?? 0) + counted({ kind: 'imported' }) : counted(scope);
  if (n === 0) return null;
  const take = n % 2 === 0 ? 2 : 1;
  const skip = (n - 1) >> 1;
  const middle =
    scope.kind === 'all'
      ? ALL_DURATIONS_AT.on(db).all(p.fromDay, p.toDay, p.fromDay, p.toDay, take, skip)
      : STATION_DURATIONS_AT.on(db).all(p.fromDay, p.toDay, scope.stationId, take, skip);
  const durations = middle.map((r) => r.d);
  return durations.reduce((sum, d) => sum + d, 0) / durations.length;
}

export function funnel(db: Database.Database, scope: SourceScope, p: Period): FunnelStep[] {
  if (scope.kind === 'all') {
    const imported = funnel(db, { kind: 'imported' }, p);
    return local.funnel(db, p).map((f, i) => ({ step: f.step, reached: f.reached + (imported[i]?.reached ?? 0) }));
  }
  const { where, params } = sessionCounts(scope);
  const sql = `SELECT furthest_step AS step, sum(n) AS n FROM station_session_counts
    WHERE ${where} day >= ? AND day <= ? GROUP BY furthest_step`;
  return funnelFrom(db.prepare<unknown[], { step: number; n: number }>(sql).all(...params, p.fromDay, p.toDay));
}

const KNOWN_CODE_LIST = ERROR_CODES.map((c) => `'${c}'`).join(', ');
const KNOWN_CODES = `code IN (${KNOWN_CODE_LIST}) AND at >= ? AND at < ? AND session_id IS NOT NULL`;
const DAY_MS = 86_400_000;

type ErrorRow = { step: string; code: string; n: number };

/**
 * Imported refusals of guided sessions in the period, by step and code: the period's whole UTC days from
 * migration 006's counts (a few rows a day), its partial first and last days from the events themselves (an
 * index range of at most a day each). The same figures as one scan of the events, without the scan.
 */
function importedErrors(db: Database.Database, scope: SourceScope, p: Period): ErrorRow[] {
  const live = (fromMs: number, toMs: number): ErrorRow[] => {
    if (fromMs >= toMs) return [];
    const src = events(scope, KNOWN_CODES);
    const sql = `SELECT coalesce(step, '') AS step, code, count(*) AS n FROM ${src.sql} GROUP BY step, code`;
    return db.prepare<unknown[], ErrorRow>(sql).all(...src.bind(fromMs, toMs));
  };
  const firstDay = Math.ceil(p.fromMs / DAY_MS);
  const endDay = Math.floor(p.toMs / DAY_MS);
  if (firstDay >= endDay) return live(p.fromMs, p.toMs);
  const { where, params } = sessionCounts(scope);
  const counted = db
    .prepare<unknown[], ErrorRow>(
      `SELECT step, code, sum(n) AS n FROM station_error_counts WHERE ${where} code IN (${KNOWN_CODE_LIST}) AND day >= ? AND day < ?
        GROUP BY step, code HAVING sum(n) > 0`,
    )
    .all(...params, firstDay, endDay);
  return [...live(p.fromMs, firstDay * DAY_MS), ...counted, ...live(endDay * DAY_MS, p.toMs)];
}

/** Rows summed by `key`, counts added. */
function sumBy<T extends { n: number }>(rows: readonly T[], key: (row: T) => string): T[] {
  const sums = new Map<string, T>();
  for (const r of rows) {
    const k = key(r);
    const sum = sums.get(k);
    if (sum) sum.n += r.n;
    else sums.set(k, { ...r });
  }
  return [...sums.values()];
}

export function topErrorCodes(db: Database.Database, scope: SourceScope, p: Period, limit: number): { code: string; count: number }[] {
  const rows: { code: string; n: number }[] =
    scope.kind === 'all'
      ? [
          ...local.topErrorCodes(db, p, ERROR_CODES.length).map((e) => ({ code: e.code, n: e.count })),
          ...importedErrors(db, { kind: 'imported' }, p),
        ]
      : importedErrors(db, scope, p);
  return sumBy(rows, (r) => r.code)
    .map((r) => ({ code: r.code, count: r.n }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
    .slice(0, limit);
}

export function errorsByStep(db: Database.Database, scope: SourceScope, p: Period): { step: string; code: string; count: number }[] {
  const rows: ErrorRow[] =
    scope.kind === 'all'
      ? [...errorsByStepLocal(db, p).map((x) => ({ step: x.step, code: x.code, n: x.count })), ...importedErrors(db, { kind: 'imported' }, p)]
      : importedErrors(db, scope, p);
  const order = (step: string) => (STEP_IDS as readonly string[]).indexOf(step);
  return sumBy(rows, (r) => `${r.step}\u0000${r.code}`)
    .map((r) => ({ step: r.step, code: r.code, count: r.n }))
    .sort((a, b) => order(a.step) - order(b.step) || b.count - a.count || a.code.localeCompare(b.code));
}

function numberIn(details: string | null, key: string): number {
  const value: unknown = details ? (JSON.parse(details) as Record<string, unknown>)[key] : 0;
  return typeof value === 'number' ? value : 0;
}

export function clockOffsets(db: Database.Database, scope: StationScope, p: Period, limit: number): ClockOffset[] {
  // Two queries, as for this station: each reads its own index range (an OR would scan the table).
  const read = (where: string, key: string, accepted: boolean): ClockOffset[] => {
    const src = events(scope, where);
    const rows = db
      .prepare<unknown[], { at: number; session_id: number | null; details: string | null }>(
        `SELECT at, session_id, details FROM ${src.sql} ORDER BY at DESC LIMIT ?`,
      )
      .all(...src.bind(p.fromMs, p.toMs), limit);
    return rows.map((r) => ({ at: r.at, sessionId: r.session_id, seconds: numberIn(r.details, key), accepted }));
  };
  const refused = read(`code = 'clock_offset' AND at >= ? AND at < ?`, 'seconds', false);
  const accepted = read(`type IN (${sqlEventList(ACCEPTED_CODE_EVENTS)}) AND at >= ? AND at < ?`, 'offsetSeconds', true);
  return [...refused, ...accepted].sort((a, b) => b.at - a.at).slice(0, limit);
}

export function clockJumps(db: Database.Database, scope: StationScope, p: Period, limit: number): ClockJump[] {
  const src = events(scope, `type = ${sqlEventList(['clock_jumped_back'])} AND at >= ? AND at < ?`);
  const rows = db
    .prepare<unknown[], { at: number; details: string | null }>(`SELECT at, details FROM ${src.sql} ORDER BY at DESC LIMIT ?`)
    .all(...src.bind(p.fromMs, p.toMs), limit);
  return rows.map((r) => ({ at: r.at, seconds: numberIn(r.details, 'seconds') }));
}

export interface StationRosterRow {
  email: string;
  name: string;
  service: string;
  registered: boolean;
  tested: boolean;
}

/** The roster's progress counting devices registered at any station (all) or at one imported station. */
export function rosterProgress(db: Database.Database, scope: StationScope): StationRosterRow[] {
  const devices: { sql: string; params: unknown[] } =
    scope.kind === 'all'
      ? {
          sql: `SELECT a.email AS email, d.activated_at AS activated_at, d.sign_in_tested_at AS tested_at
              FROM devices d JOIN agents a ON a.id = d.agent_id
            UNION ALL SELECT email, activated_at, sign_in_tested_at FROM station_devices`,
          params: [],
        }
      : {
          sql: 'SELECT email, activated_at, sign_in_tested_at AS tested_at FROM station_devices WHERE station_id = ?',
          params: [scope.stationId],
        };
  const sql = `SELECT r.email AS email, r.name AS name, r.service AS service,
      coalesce(max(d.activated_at IS NOT NULL), 0) AS registered,
      coalesce(max(d.tested_at IS NOT NULL), 0) AS tested
    FROM roster r LEFT JOIN (${devices.sql}) d ON d.email = r.email
    GROUP BY r.email ORDER BY r.service, r.name, r.email`;
  const rows = db
    .prepare<unknown[], { email: string; name: string; service: string; registered: number; tested: number }>(sql)
    .all(...devices.params);
  return rows.map((r) => ({ email: r.email, name: r.name, service: r.service, registered: r.registered === 1, tested: r.tested === 1 }));
}

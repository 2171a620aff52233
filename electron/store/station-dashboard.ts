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
import { statement } from './statements';

/** Internally, "all" sums this station's figures and those of every imported station, each read on its own indexes. */
type SourceScope = StationScope | { kind: 'imported' };

interface Source {
  sql: string;
  params: unknown[];
}

/** A source whose WHERE holds the period's own placeholders: `bind` gives every parameter in order. */
interface FilteredSource {
  sql: string;
  bind(...periodParams: unknown[]): unknown[];
}

const SESSION_COLUMNS = 'day, outcome, mode, duration_ms, furthest_step';
const EVENT_COLUMNS = 'session_id, at, step, type, code, details';

function sessions(scope: SourceScope): Source {
  if (scope.kind === 'imported') return { sql: 'station_sessions', params: [] };
  return scope.kind === 'all'
    ? {
        sql: `(SELECT ${SESSION_COLUMNS} FROM sessions UNION ALL SELECT ${SESSION_COLUMNS} FROM station_sessions)`,
        params: [],
      }
    : { sql: `(SELECT ${SESSION_COLUMNS} FROM station_sessions WHERE station_id = ?)`, params: [scope.stationId] };
}

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

export function countsByDayAndOutcome(db: Database.Database, scope: SourceScope, p: Period): DayOutcomeCount[] {
  // The dashboard adds the rows up: this station's and the imported ones', each grouped in its own index order.
  if (scope.kind === 'all') return [...local.countsByDayAndOutcome(db, p), ...countsByDayAndOutcome(db, { kind: 'imported' }, p)];
  const src = sessions(scope);
  const sql = `SELECT day, outcome, mode, count(*) AS n FROM ${src.sql} WHERE day >= ? AND day <= ? GROUP BY day, outcome, mode`;
  const rows = statement(db, sql).all(...src.params, p.fromDay, p.toDay) as { day: number; outcome: Outcome | null; mode: Mode; n: number }[];
  return rows.map((r) => ({ day: r.day, outcome: r.outcome, mode: r.mode, count: r.n }));
}

export function medianDuration(db: Database.Database, scope: StationScope, p: Period): number | null {
  const src = sessions(scope);
  const where = `outcome = 'completed' AND day >= ? AND day <= ?`;
  const { n } = statement(db, `SELECT count(*) AS n FROM ${src.sql} WHERE ${where}`).get(...src.params, p.fromDay, p.toDay) as { n: number };
  if (n === 0) return null;
  const middle = statement(db, `SELECT duration_ms AS d FROM ${src.sql} WHERE ${where} ORDER BY duration_ms LIMIT ? OFFSET ?`).all(
    ...src.params,
    p.fromDay,
    p.toDay,
    n % 2 === 0 ? 2 : 1,
    (n - 1) >> 1,
  ) as { d: number }[];
  return middle.reduce((sum, r) => sum + r.d, 0) / middle.length;
}

export function funnel(db: Database.Database, scope: SourceScope, p: Period): FunnelStep[] {
  if (scope.kind === 'all') {
    const imported = funnel(db, { kind: 'imported' }, p);
    return local.funnel(db, p).map((f, i) => ({ step: f.step, reached: f.reached + (imported[i]?.reached ?? 0) }));
  }
  const src = sessions(scope);
  const sql = `SELECT furthest_step AS step, count(*) AS n FROM ${src.sql} WHERE day >= ? AND day <= ? GROUP BY furthest_step`;
  return funnelFrom(statement(db, sql).all(...src.params, p.fromDay, p.toDay) as { step: number; n: number }[]);
}

const KNOWN_CODES = `code IN (${ERROR_CODES.map((c) => `'${c}'`).join(', ')}) AND at >= ? AND at < ? AND session_id IS NOT NULL`;

export function topErrorCodes(db: Database.Database, scope: SourceScope, p: Period, limit: number): { code: string; count: number }[] {
  if (scope.kind === 'all') {
    const sums = new Map<string, number>();
    for (const e of [...local.topErrorCodes(db, p, ERROR_CODES.length), ...topErrorCodes(db, { kind: 'imported' }, p, ERROR_CODES.length)]) {
      sums.set(e.code, (sums.get(e.code) ?? 0) + e.count);
    }
    return [...sums]
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
      .slice(0, limit);
  }
  const src = events(scope, KNOWN_CODES);
  const rows = statement(db, `SELECT code, count(*) AS n FROM ${src.sql} GROUP BY code`).all(...src.bind(p.fromMs, p.toMs)) as {
    code: string;
    n: number;
  }[];
  return rows
    .map((r) => ({ code: r.code, count: r.n }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
    .slice(0, limit);
}

export function errorsByStep(db: Database.Database, scope: SourceScope, p: Period): { step: string; code: string; count: number }[] {
  let rows: { step: string; code: string; n: number }[];
  if (scope.kind === 'all') {
    const sums = new Map<string, { step: string; code: string; n: number }>();
    for (const r of [...errorsByStepLocal(db, p).map((x) => ({ ...x, n: x.count })), ...errorsByStep(db, { kind: 'imported' }, p).map((x) => ({ ...x, n: x.count }))]) {
      const key = `${r.step}\u0000${r.code}`;
      const sum = sums.get(key);
      if (sum) sum.n += r.n;
      else sums.set(key, { step: r.step, code: r.code, n: r.n });
    }
    rows = [...sums.values()];
  } else {
    const src = events(scope, KNOWN_CODES);
    const sql = `SELECT coalesce(step, '') AS step, code, count(*) AS n FROM ${src.sql} GROUP BY step, code`;
    rows = statement(db, sql).all(...src.bind(p.fromMs, p.toMs)) as { step: string; code: string; n: number }[];
  }
  const order = (step: string) => (STEP_IDS as readonly string[]).indexOf(step);
  return rows
    .map((r) => ({ step: r.step, code: r.code, count: r.n }))
    .sort((a, b) => order(a.step) - order(b.step) || b.count - a.count || a.code.localeCompare(b.code));
}

function numberIn(details: string | null, key: string): number {
  const value: unknown = details ? (JSON.parse(details) as Record<string, unknown>)[key] : 0;
  return typeof value === 'number' ? value : 0;
}

export function clockOffsets(db: Database.Database, scope: StationScope, p: Period, limit: number): ClockOffset[] {
  type Row = { at: number; session_id: number | null; details: string | null };
  // Two queries, as for this station: each reads its own index range (an OR would scan the table).
  const read = (where: string, key: string, accepted: boolean): ClockOffset[] => {
    const src = events(scope, where);
    const rows = statement(db, `SELECT at, session_id, details FROM ${src.sql} ORDER BY at DESC LIMIT ?`).all(
      ...src.bind(p.fromMs, p.toMs),
      limit,
    ) as Row[];
    return rows.map((r) => ({ at: r.at, sessionId: r.session_id, seconds: numberIn(r.details, key), accepted }));
  };
  const refused = read(`code = 'clock_offset' AND at >= ? AND at < ?`, 'seconds', false);
  const accepted = read(`type IN (${sqlEventList(ACCEPTED_CODE_EVENTS)}) AND at >= ? AND at < ?`, 'offsetSeconds', true);
  return [...refused, ...accepted].sort((a, b) => b.at - a.at).slice(0, limit);
}

export function clockJumps(db: Database.Database, scope: StationScope, p: Period, limit: number): ClockJump[] {
  const src = events(scope, `type = ${sqlEventList(['clock_jumped_back'])} AND at >= ? AND at < ?`);
  const rows = statement(db, `SELECT at, details FROM ${src.sql} ORDER BY at DESC LIMIT ?`).all(...src.bind(p.fromMs, p.toMs), limit) as {
    at: number;
    details: string | null;
  }[];
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
  const devices =
    scope.kind === 'all'
      ? {
          sql: `SELECT a.email AS email, d.activated_at AS activated_at, d.sign_in_tested_at AS tested_at
              FROM devices d JOIN agents a ON a.id = d.agent_id
            UNION ALL SELECT email, activated_at, sign_in_tested_at FROM station_devices`,
          params: [] as unknown[],
        }
      : {
          sql: 'SELECT email, activated_at, sign_in_tested_at AS tested_at FROM station_devices WHERE station_id = ?',
          params: [scope.stationId] as unknown[],
        };
  const sql = `SELECT r.email AS email, r.name AS name, r.service AS service,
      coalesce(max(d.activated_at IS NOT NULL), 0) AS registered,
      coalesce(max(d.tested_at IS NOT NULL), 0) AS tested
    FROM roster r LEFT JOIN (${devices.sql}) d ON d.email = r.email
    GROUP BY r.email ORDER BY r.service, r.name, r.email`;
  const rows = statement(db, sql).all(...devices.params) as { email: string; name: string; service: string; registered: number; tested: number }[];
  return rows.map((r) => ({ email: r.email, name: r.name, service: r.service, registered: r.registered === 1, tested: r.tested === 1 }));
}

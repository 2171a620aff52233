// The head's dashboard over imported stations reads counts kept by triggers (migration 006): after imports, changed sessions and purges, every figure equals a plain scan of the rows.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../shared/errors';
import { STEP_IDS } from '../../../shared/steps';
import type { Period } from '../../../electron/engine/domain';
import type { StationScope } from '../../../electron/engine/supervisor/domain';
import { migrate } from '../../../electron/store/migrate';
import { funnelFrom } from '../../../electron/store/dashboard';
import * as figures from '../../../electron/store/station-dashboard';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1, 0, 0, 0);
const OUTCOMES = [null, 'completed', 'abandoned', 'timed_out', 'locked', 'failed'] as const;

/** A small deterministic generator: the same rows on every run. */
function random(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x % n;
  };
}

function headWithStations(seed: number): Database.Database {
  const db = new Database(':memory:');
  migrate(db);
  const pick = random(seed);
  db.prepare(`INSERT INTO stations (station_id, name, public_key) VALUES ('s1', 'Poste 1', ?), ('s2', 'Poste 2', ?)`).run(
    Buffer.alloc(32, 1),
    Buffer.alloc(32, 2),
  );
  const session = db.prepare(`INSERT INTO station_sessions (station_id, id, mode, started_at, day, ended_at, duration_ms, outcome, furthest_step)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const event = db.prepare(`INSERT INTO station_events (station_id, id, session_id, at, step, type, code, prev_hash)
    VALUES (?, ?, ?, ?, ?, 'error', ?, zeroblob(32))`);
  for (const station of ['s1', 's2']) {
    for (let id = 1; id <= 400; id += 1) {
      const at = T0 + pick(20 * DAY);
      const outcome = OUTCOMES[pick(OUTCOMES.length)] ?? null;
      session.run(station, id, pick(4) === 0 ? 'training' : 'enrolment', at, Math.floor(at / DAY), outcome ? at + 1000 : null, outcome ? pick(600_000) : null, outcome, pick(STEP_IDS.length));
      // Refusals at any hour (so periods cut days in two), some outside a session, some with no step.
      event.run(station, id, pick(5) === 0 ? null : id, at + pick(DAY), pick(4) === 0 ? null : STEP_IDS[pick(STEP_IDS.length)], ERROR_CODES[pick(6)]);
    }
  }
  db.prepare(`INSERT INTO sessions (station, mode, started_at, day, ended_at, duration_ms, outcome, furthest_step)
    VALUES ('Tête', 'enrolment', ?, ?, ?, 5000, 'completed', 8)`).run(T0 + 3 * DAY, 3 + Math.floor(T0 / DAY), T0 + 3 * DAY + 5000);
  return db;
}

/** The figures as a scan of every row computes them: what the counts must always equal. */
function scanned(db: Database.Database, scope: StationScope, p: Period) {
  const only = scope.kind === 'station' ? `AND station_id = '${scope.stationId}'` : '';
  const local = scope.kind === 'all';
  const sessions = `SELECT day, outcome, mode, duration_ms, furthest_step FROM station_sessions WHERE day BETWEEN ${p.fromDay} AND ${p.toDay} ${only}
    ${local ? `UNION ALL SELECT day, outcome, mode, duration_ms, furthest_step FROM sessions WHERE day BETWEEN ${p.fromDay} AND ${p.toDay}` : ''}`;
  const codes = ERROR_CODES.map((c) => `'${c}'`).join(', ');
  const errors = `SELECT coalesce(step, '') AS step, code FROM station_events
    WHERE code IN (${codes}) AND session_id IS NOT NULL AND at >= ${p.fromMs} AND at < ${p.toMs} ${only}
    ${local ? `UNION ALL SELECT coalesce(step, ''), code FROM events WHERE code IN (${codes}) AND session_id IS NOT NULL AND at >= ${p.fromMs} AND at < ${p.toMs}` : ''}`;
  const durations = db.prepare<[], number>(`SELECT duration_ms FROM (${sessions}) WHERE outcome = 'completed' ORDER BY 1`).pluck().all();
  const mid = durations.length >> 1;
  return {
    counts: countMap(db.prepare<[], Count>(`SELECT day, outcome, mode, count(*) AS count FROM (${sessions}) GROUP BY 1, 2, 3`).all()),
    funnel: db.prepare(`SELECT furthest_step AS step, count(*) AS n FROM (${sessions}) GROUP BY 1`).all() as { step: number; n: number }[],
    median: durations.length === 0 ? null : durations.length % 2 ? durations[mid] : ((durations[mid - 1] ?? 0) + (durations[mid] ?? 0)) / 2,
    errors: db.prepare(`SELECT step, code, count(*) AS count FROM (${errors}) GROUP BY 1, 2 ORDER BY 1, 2`).all(),
  };
}

type Count = { day: number; outcome: string | null; mode: string; count: number };

/** Counts by day, outcome and mode as one map (the dashboard adds up rows that share a key, as this does). */
function countMap(rows: readonly Count[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(`${r.day} ${r.outcome} ${r.mode}`, (out.get(`${r.day} ${r.outcome} ${r.mode}`) ?? 0) + r.count);
  return out;
}

function served(db: Database.Database, scope: StationScope, p: Period) {
  return {
    counts: countMap(figures.countsByDayAndOutcome(db, scope, p)),
    funnel: figures.funnel(db, scope, p),
    median: figures.medianDuration(db, scope, p),
    errors: figures.errorsByStep(db, scope, p).sort((a, b) => a.step.localeCompare(b.step) || a.code.localeCompare(b.code)),
    top: figures.topErrorCodes(db, scope, p, ERROR_CODES.length),
  };
}

const periods: Period[] = [
  { fromDay: Number.MIN_SAFE_INTEGER, toDay: Math.floor(T0 / DAY) + 30, fromMs: 0, toMs: T0 + 30 * DAY },
  // Cut in the middle of days at both ends, as "today" and "7 days" are in a time zone off UTC.
  { fromDay: Math.floor(T0 / DAY) + 4, toDay: Math.floor(T0 / DAY) + 11, fromMs: T0 + 4 * DAY + 5 * 3_600_000, toMs: T0 + 11 * DAY + 13 * 3_600_000 },
  { fromDay: Math.floor(T0 / DAY) + 6, toDay: Math.floor(T0 / DAY) + 6, fromMs: T0 + 6 * DAY + 3_600_000, toMs: T0 + 6 * DAY + 9 * 3_600_000 },
];
const scopes: StationScope[] = [{ kind: 'all' }, { kind: 'station', stationId: 's2' }];

function expectSameFigures(db: Database.Database): void {
  for (const p of periods) {
    for (const scope of scopes) {
      const expected = scanned(db, scope, p);
      const got = served(db, scope, p);
      const where = `${JSON.stringify(scope)} ${JSON.stringify(p)}`;
      expect(got.counts, where).toEqual(expected.counts);
      expect(got.funnel, where).toEqual(funnelFrom(expected.funnel));
      expect(got.median, where).toBe(expected.median);
      expect(got.errors, where).toEqual(expected.errors);
      const byCode = new Map<string, number>();
      for (const e of expected.errors as { code: string; count: number }[]) byCode.set(e.code, (byCode.get(e.code) ?? 0) + e.count);
      expect(new Map(got.top.map((t) => [t.code, t.count])), where).toEqual(byCode);
    }
  }
}

describe("the head's figures over imported stations", () => {
  it('equal a scan of the rows after an import, a later bundle that changes sessions, and a purge', () => {
    const db = headWithStations(7);
    expectSameFigures(db);
    // A later bundle: sessions closed or changed since, as the import's upsert writes them.
    db.prepare(`UPDATE station_sessions SET outcome = 'completed', duration_ms = 1234, furthest_step = 8, day = day + 1
      WHERE station_id = 's2' AND id % 3 = 0`).run();
    expectSameFigures(db);
    // The purge's deletes (store/retention.ts): everything before a cut-off, whoever wrote it.
    db.prepare('DELETE FROM station_events WHERE at < ?').run(T0 + 8 * DAY);
    db.prepare('DELETE FROM station_sessions WHERE coalesce(ended_at, started_at) < ?').run(T0 + 8 * DAY);
    expectSameFigures(db);
    db.close();
  });
});

describe("the purge of imported rows (store/retention.ts's statements)", () => {
  it('reads an index range, not every row a campaign imported', () => {
    const db = new Database(':memory:');
    migrate(db);
    for (const sql of [
      'DELETE FROM station_events WHERE at < ?',
      'DELETE FROM station_sessions WHERE coalesce(ended_at, started_at) < ?',
      'DELETE FROM station_devices WHERE coalesce(sign_in_tested_at, activated_at, 0) < ?',
    ]) {
      const plan = db.prepare<[number], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all(0).map((r) => r.detail).join(' | ');
      expect(plan, sql).toMatch(/SEARCH .* USING (COVERING )?INDEX/);
    }
    db.close();
  });
});

import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localDay } from '../../../shared/days';
import {
  clockOffsets,
  completionRate,
  countsByDayAndOutcome,
  DASHBOARD_SQL,
  dashboardPeriod,
  funnel,
  medianDuration,
  topErrorCodes,
} from '../../../electron/store/dashboard';
import { appendEvent } from '../../../electron/store/events';
import { openLog } from '../../../electron/store/open';
import { closeSession, insertSession } from '../../../electron/store/sessions';
import type { Outcome } from '../../../shared/steps';
import { tempDataDir } from '../engine/harness';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const DAY = 86_400_000;
let db: Database.Database;
let cleanup: () => void;

beforeEach(() => {
  const t = tempDataDir();
  cleanup = t.cleanup;
  db = openLog(join(t.dir, 'kiosk.db')).db;
});
afterEach(() => {
  db.close();
  cleanup();
});

function session(startedAt: number, outcome: Outcome | null, durationMs: number, furthestStep: number): number {
  const id = insertSession(db, { station: 'Poste', mode: 'enrolment', startedAt, day: localDay(startedAt), furthestStep });
  if (outcome) closeSession(db, id, outcome, startedAt + durationMs);
  return id;
}

describe('dashboard queries', () => {
  it('each reads an index range: no table scan, no temporary B-tree', () => {
    for (const sql of DASHBOARD_SQL) {
      const params = Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 1);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
      expect(plan, sql).not.toMatch(/\bSCAN\b/);
      expect(plan, sql).not.toMatch(/TEMP B-TREE/);
      expect(plan, sql).toMatch(/USING (COVERING )?INDEX/);
    }
  });

  it('counts sessions by day and outcome, and the completion rate over ended sessions', () => {
    session(NOW - DAY, 'completed', 60_000, 8);
    session(NOW, 'completed', 60_000, 8);
    session(NOW, 'abandoned', 10_000, 3);
    session(NOW, 'timed_out', 10_000, 4);
    session(NOW, null, 0, 2);
    const today = dashboardPeriod('today', NOW, localDay);
    const counts = countsByDayAndOutcome(db, today);
    expect(counts.reduce((n, c) => n + c.count, 0)).toBe(4);
    expect(counts).toContainEqual({ day: localDay(NOW), outcome: 'completed', mode: 'enrolment', count: 1 });
    expect(completionRate(db, today)).toEqual({ ended: 3, completed: 1, rate: 1 / 3 });
    expect(completionRate(db, dashboardPeriod('7d', NOW, localDay))).toEqual({ ended: 4, completed: 2, rate: 0.5 });
  });

  it('gives the median duration of completed sessions (odd and even counts)', () => {
    for (const d of [300_000, 100_000, 200_000]) session(NOW, 'completed', d, 8);
    session(NOW, 'abandoned', 999_000, 2);
    const p = dashboardPeriod('all', NOW, localDay);
    expect(medianDuration(db, p)).toBe(200_000);
    session(NOW, 'completed', 400_000, 8);
    expect(medianDuration(db, p)).toBe(250_000);
  });

  it('builds the funnel: how many sessions reached each step', () => {
    session(NOW, 'completed', 1, 8);
    session(NOW, 'abandoned', 1, 4);
    session(NOW, 'abandoned', 1, 1);
    const f = funnel(db, dashboardPeriod('today', NOW, localDay));
    expect(f.map((s) => [s.step, s.reached])).toEqual([
      ['welcome', 3],
      ['identify', 3],
      ['prepare-phone', 2],
      ['add-device', 2],
      ['scan-qr', 2],
      ['confirm-device', 1],
      ['registered', 1],
      ['test-login', 1],
      ['done', 1],
    ]);
  });

  it('ranks the guided session\'s error codes and lists clock offsets, newest first', () => {
    const id = session(NOW, 'locked', 1, 5);
    const err = (code: string, at: number, details: Record<string, number> = {}) =>
      appendEvent(db, { sessionId: id, at, step: 'confirm-device', type: 'error', code, details });
    err('code_wrong', NOW);
    err('code_wrong', NOW + 1);
    err('pin_wrong', NOW + 2);
    err('clock_offset', NOW + 3, { minutes: 3, seconds: -180 });
    appendEvent(db, { sessionId: null, at: NOW + 4, step: null, type: 'error', code: 'passphrase_wrong' });
    appendEvent(db, { sessionId: id, at: NOW + 5, step: 'test-login', type: 'sign_in_test', details: { offsetSeconds: 30 } });
    // A refused test is logged as a sign-in test too; it measured no offset of its own.
    appendEvent(db, { sessionId: id, at: NOW + 6, step: 'test-login', type: 'sign_in_test', details: { method: 'pin', result: 'refused' } });
    appendEvent(db, { sessionId: id, at: NOW + 7, step: 'test-login', type: 'sign_in_test', details: { method: 'pin', result: 'accepted', offsetSeconds: 0 } });
    const p = dashboardPeriod('today', NOW + 10, localDay);
    expect(topErrorCodes(db, p, 2)).toEqual([
      { code: 'code_wrong', count: 2 },
      { code: 'clock_offset', count: 1 },
    ]);
    expect(clockOffsets(db, p)).toEqual([
      { at: NOW + 7, sessionId: id, seconds: 0, accepted: true },
      { at: NOW + 5, sessionId: id, seconds: 30, accepted: true },
      { at: NOW + 3, sessionId: id, seconds: -180, accepted: false },
    ]);
  });
});

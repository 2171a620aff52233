// A dashboard's figures for one scope and plan, read in one snapshot: what the log's read worker answers, and the kiosk's thread for a log in memory.
import type Database from 'better-sqlite3';
import type { FigurePlan, FigureScope, FigureSet } from '../engine/supervisor/ports';
import * as local from './dashboard';
import * as byStation from './station-dashboard';
import { errorsByStep } from './supervisor-queries';

function read(db: Database.Database, scope: FigureScope, plan: FigurePlan): FigureSet {
  const { period, clockWindow, clockSample, topErrors } = plan;
  if (scope.kind === 'self') {
    return {
      counts: local.countsByDayAndOutcome(db, period),
      medianDurationMs: local.medianDuration(db, period),
      funnel: local.funnel(db, period),
      topErrors: local.topErrorCodes(db, period, topErrors),
      difficulties: errorsByStep(db, period),
      clockOffsets: local.clockOffsets(db, clockWindow, clockSample),
      clockJumps: local.clockJumps(db, period, clockSample),
    };
  }
  return {
    counts: byStation.countsByDayAndOutcome(db, scope, period),
    medianDurationMs: byStation.medianDuration(db, scope, period),
    funnel: byStation.funnel(db, scope, period),
    topErrors: byStation.topErrorCodes(db, scope, period, topErrors),
    difficulties: byStation.errorsByStep(db, scope, period),
    clockOffsets: byStation.clockOffsets(db, scope, clockWindow, clockSample),
    clockJumps: byStation.clockJumps(db, scope, period, clockSample),
  };
}

/**
 * The figures in one read transaction, so that a session closing meanwhile is counted in all of them or in none
 * (a deferred BEGIN takes no lock: the kiosk keeps appending while it reads).
 */
export function readFigures(db: Database.Database, scope: FigureScope, plan: FigurePlan): FigureSet {
  if (db.inTransaction) return read(db, scope, plan);
  db.exec('BEGIN');
  try {
    return read(db, scope, plan);
  } finally {
    db.exec('COMMIT');
  }
}

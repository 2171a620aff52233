// Whose figures the console shows: this station's own log, all stations, or one imported station.
import { KioskError } from '../../../shared/errors';
import type { StationScopeInput } from '../../../shared/supervisor-contract';
import type { RosterProgressRow } from './domain';
import type { FigureScope, SupervisorLog } from './ports';

/** Resolves a scope to this station, all stations, or one imported station; an unknown id is a bad input. */
function scopeOf(log: SupervisorLog, station: StationScopeInput): 'self' | 'all' | { stationId: string } {
  if (station === 'this') return 'self';
  if (station === 'all') return 'all';
  const known = log.stations().find((s) => s.stationId === station);
  if (!known) throw new KioskError('invalid_input', { field: 'station' });
  return known.isSelf ? 'self' : { stationId: station };
}

/** Whose figures a scope reads: this station's own log, all stations, or one imported station. */
export function figuresFor(log: SupervisorLog, station: StationScopeInput): FigureScope {
  const scope = scopeOf(log, station);
  if (scope === 'self') return { kind: 'self' };
  return scope === 'all' ? { kind: 'all' } : { kind: 'station', stationId: scope.stationId };
}

export function rosterRowsFor(log: SupervisorLog, station: StationScopeInput): RosterProgressRow[] {
  const scope = scopeOf(log, station);
  if (scope === 'self') return log.rosterProgress();
  return log.rosterProgressOf(scope === 'all' ? { kind: 'all' } : { kind: 'station', stationId: scope.stationId });
}

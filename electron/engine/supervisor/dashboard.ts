// Assembles the supervisor's dashboard for a range from the log's counts: outcomes, rates, funnel, errors, clock offsets.
import type { Dashboard, DashboardRange, StationScopeInput } from '../../../shared/supervisor-contract';
import type { FigureScope, SupervisorLog } from './ports';

/** Issue 5: warn when the median offset of recent sign-ins is over a minute (two TOTP steps of 30 s). */
export const CLOCK_WARNING_SECONDS = 60;
/** "Recent sign-ins": the latest codes checked in the last week, enough for a median not swayed by one phone. */
export const CLOCK_SAMPLE_SIZE = 20;
const CLOCK_SAMPLE_WINDOW_MS = 7 * 86_400_000;
const TOP_ERRORS = 5;
/** Enough to spot one agent refused for a 3-minute offset among accepted ones, short enough to read at a glance. */
export const RECENT_OFFSETS = 8;

function folderView(log: SupervisorLog, dataDir: string): Dashboard['housekeeping']['dataFolder'] {
  const access = log.folderAccess(dataDir);
  return access ? { path: dataDir, ...access } : null;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? 0) + upper) / 2;
}

/**
 * The dashboard of `range` over `scope` (this station, all, one imported); the housekeeping is always this station's.
 * The figures are read in one request (SupervisorLog.readFigures: a worker where the log is a file), the rest here.
 */
export async function buildDashboard(
  station: SupervisorLog,
  range: DashboardRange,
  now: number,
  dataDir: string,
  scope: { figures: FigureScope; station: StationScopeInput } = { figures: { kind: 'self' }, station: 'this' },
): Promise<Dashboard> {
  const period = station.period(range, now);
  const clockWindow = { ...period, fromMs: Math.max(period.fromMs, now - CLOCK_SAMPLE_WINDOW_MS) };
  const figures = await station.readFigures(scope.figures, { period, clockWindow, clockSample: CLOCK_SAMPLE_SIZE, topErrors: TOP_ERRORS });
  const counts = { completed: 0, abandoned: 0, timed_out: 0, locked: 0, failed: 0, open: 0 };
  let sessions = 0;
  let training = 0;
  for (const row of figures.counts) {
    sessions += row.count;
    if (row.mode === 'training') training += row.count;
    counts[row.outcome ?? 'open'] += row.count;
  }
  const ended = sessions - counts.open;

  const checked = figures.clockOffsets;
  const offsets = checked.map((o) => o.seconds);
  const medianOffset = median(offsets);
  const jumps = figures.clockJumps;

  return {
    range,
    station: scope.station,
    from: range === 'all' ? null : period.fromMs,
    generatedAt: now,
    sessions,
    completed: counts.completed,
    abandoned: counts.abandoned,
    timedOut: counts.timed_out,
    locked: counts.locked,
    failed: counts.failed,
    inProgress: counts.open,
    training,
    completionRate: ended === 0 ? null : counts.completed / ended,
    medianDurationMs: figures.medianDurationMs,
    funnel: figures.funnel,
    topErrors: figures.topErrors,
    difficulties: figures.difficulties,
    clockOffset: {
      medianSeconds: medianOffset,
      samples: offsets.length,
      warning: medianOffset !== null && Math.abs(medianOffset) > CLOCK_WARNING_SECONDS,
      jumpsBack: jumps.length,
      largestJumpSeconds: jumps.length === 0 ? null : Math.max(...jumps.map((j) => j.seconds)),
    },
    // The session id stays in the engine: the console shows times and offsets, never who.
    recentClockOffsets: checked.slice(0, RECENT_OFFSETS).map(({ at, seconds, accepted }) => ({ at, seconds, accepted })),
    housekeeping: {
      lastPurge: station.lastPurge(),
      dataFolder: folderView(station, dataDir),
    },
  };
}

// Assembles the supervisor's dashboard for a range from the log's counts: outcomes, rates, funnel, errors, clock offsets.
import type { Dashboard, DashboardRange, StationScopeInput } from '../../../shared/supervisor-contract';
import type { DashboardSource, SupervisorLog } from './ports';

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

/** Whose figures the dashboard shows: this station's own log unless another source is given. */
export interface DashboardScope {
  figures: DashboardSource;
  station: StationScopeInput;
}

/** The figures come from `scope` (this station, all, one imported); the housekeeping is always this station's. */
export function buildDashboard(
  station: SupervisorLog,
  range: DashboardRange,
  now: number,
  dataDir: string,
  scope: DashboardScope = { figures: station, station: 'this' },
): Dashboard {
  const log = scope.figures;
  const period = log.period(range, now);
  const counts = { completed: 0, abandoned: 0, timed_out: 0, locked: 0, failed: 0, open: 0 };
  let sessions = 0;
  let training = 0;
  for (const row of log.countsByDayAndOutcome(period)) {
    sessions += row.count;
    if (row.mode === 'training') training += row.count;
    counts[row.outcome ?? 'open'] += row.count;
  }
  const ended = sessions - counts.open;

  const clockWindow = { ...period, fromMs: Math.max(period.fromMs, now - CLOCK_SAMPLE_WINDOW_MS) };
  const checked = log.clockOffsets(clockWindow, CLOCK_SAMPLE_SIZE);
  const offsets = checked.map((o) => o.seconds);
  const medianOffset = median(offsets);
  const jumps = log.clockJumps(period, CLOCK_SAMPLE_SIZE);

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
    medianDurationMs: log.medianDuration(period),
    funnel: log.funnel(period),
    topErrors: log.topErrorCodes(period, TOP_ERRORS),
    difficulties: log.errorsByStep(period),
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

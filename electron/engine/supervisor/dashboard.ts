// Assembles the supervisor's dashboard for a range from the log's counts: outcomes, rates, funnel, errors, clock offsets.
import type { Dashboard, DashboardRange } from '../../../shared/supervisor-contract';
import { STEP_IDS } from '../../../shared/steps';
import { localDay } from '../clock';
import type { SupervisorLog } from './ports';

/** Issue 5: warn when the median offset of recent sign-ins is over a minute (two TOTP steps of 30 s). */
export const CLOCK_WARNING_SECONDS = 60;
/** "Recent sign-ins": the latest codes checked in the last week, enough for a median not swayed by one phone. */
export const CLOCK_SAMPLE_SIZE = 20;
const CLOCK_SAMPLE_WINDOW_MS = 7 * 86_400_000;
const TOP_ERRORS = 5;

/** Local midnight `daysBack` days before `now`: calendar days, so "today" starts at 00:00 whatever the DST. */
export function localMidnight(now: number, daysBack: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - daysBack);
  return d.getTime();
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? 0) + upper) / 2;
}

export function rangeStart(range: DashboardRange, now: number): number | null {
  if (range === 'today') return localMidnight(now, 0);
  if (range === '7d') return localMidnight(now, 6);
  return null;
}

export function buildDashboard(log: SupervisorLog, range: DashboardRange, now: number): Dashboard {
  const from = rangeStart(range, now);
  const sinceDay = from === null ? Number.MIN_SAFE_INTEGER : localDay(from);
  const sinceMs = from ?? Number.MIN_SAFE_INTEGER;

  const counts = { completed: 0, abandoned: 0, timed_out: 0, locked: 0, failed: 0, open: 0 };
  let sessions = 0;
  let training = 0;
  for (const row of log.outcomeCounts(sinceDay)) {
    sessions += row.count;
    if (row.mode === 'training') training += row.count;
    counts[row.outcome ?? 'open'] += row.count;
  }
  const ended = sessions - counts.open;

  // A session counts at every step up to the furthest it entered: the funnel is cumulative from the end.
  const furthest = log.furthestStepCounts(sinceDay);
  let reached = 0;
  const funnel = STEP_IDS.map((_, index) => index)
    .reverse()
    .map((index) => {
      reached += furthest.get(index) ?? 0;
      return { step: STEP_IDS[index] ?? 'welcome', reached };
    })
    .reverse();

  const offsets = log.recentClockOffsets(Math.max(sinceMs, now - CLOCK_SAMPLE_WINDOW_MS), CLOCK_SAMPLE_SIZE);
  const medianOffset = median(offsets);

  return {
    range,
    from,
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
    medianDurationMs: log.medianCompletedDuration(sinceDay),
    funnel,
    topErrors: log.topErrorCodes(sinceMs, TOP_ERRORS),
    difficulties: log.errorsByStep(sinceMs),
    clockOffset: {
      medianSeconds: medianOffset,
      samples: offsets.length,
      warning: medianOffset !== null && Math.abs(medianOffset) > CLOCK_WARNING_SECONDS,
    },
  };
}

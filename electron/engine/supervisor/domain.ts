// The supervisor engine's domain types: what it reads and writes through SupervisorLog (ports.ts). The store
// implements that port and maps its rows to these types, as it does for the kiosk's own (../domain.ts).
import type { Mode, Outcome, StepId } from '../../../shared/steps';
import type { PurgeTrigger } from '../../../shared/supervisor-contract';

export interface StoredPassphrase {
  salt: Buffer;
  hash: Buffer;
  N: number;
  r: number;
  p: number;
}

export interface ConsoleLockout {
  /** Wrong passphrases in a row since the last good one or the last lock. */
  failures: number;
  /** ms since epoch; 0 when not locked. */
  lockedUntil: number;
}

export interface DayOutcomeCount {
  day: number;
  outcome: Outcome | null;
  mode: Mode;
  count: number;
}

export interface CompletionRate {
  ended: number;
  completed: number;
  /** completed / ended, null when no session ended in the period. */
  rate: number | null;
}

export interface FunnelStep {
  step: StepId;
  /** Sessions that reached this step (or went further). */
  reached: number;
}

export interface ClockOffset {
  at: number;
  sessionId: number | null;
  /** Phone minus station, in seconds (whole TOTP steps). */
  seconds: number;
  /** false: the code was refused for it (beyond ±1 step). */
  accepted: boolean;
}

export interface ClockJump {
  at: number;
  /** How far back the station clock went, in seconds. */
  seconds: number;
}

export interface RosterEntry {
  email: string;
  name: string;
  service: string;
  importedAt: number;
}

export interface RosterProgressRow {
  email: string;
  name: string;
  service: string;
  registered: boolean;
  tested: boolean;
}

export type TableExportKind = 'sessions' | 'events' | 'roster';

export interface PurgeCounts {
  sessions: number;
  agents: number;
  events: number;
}

/** The latest purge, kept beside the settings for the dashboard (the log has every one as `retention_purge`). */
export interface PurgeRecord extends PurgeCounts {
  at: number;
  trigger: PurgeTrigger;
  retentionDays: number;
}

export interface FolderAccess {
  /** The folder's permission bits, e.g. "755". */
  mode: string;
  /** Another account (its group or anyone) may list or enter the folder. */
  openToOthers: boolean;
}

/** Whose figures: every station (this one and all imported), or one imported station. */
export type StationScope = { kind: 'all' } | { kind: 'station'; stationId: string };

/** What one bundle's import added to the head station. */
export interface ImportResult {
  file: string;
  stationId: string;
  stationName: string;
  fingerprint: string;
  /** What this import added (0 when the bundle brought nothing new). */
  events: number;
  sessions: number;
  lastEventId: number;
}

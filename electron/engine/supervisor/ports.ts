// What the supervisor's engine needs from the log and the file system, as an interface the store implements.
import type { NewEvent } from '../../store/events';
import type { Settings } from '../../store/settings';
import type { ConsoleLockout, StoredPassphrase } from '../../store/supervisor-auth';
import type { OutcomeCount, RosterProgressRow } from '../../store/supervisor-queries';
import type { TableExportKind } from '../../store/supervisor-export';
import type { RosterEntry } from '../../store/roster';

export interface PurgeCounts {
  sessions: number;
  agents: number;
  events: number;
}

export interface SupervisorLog {
  transaction<T>(fn: () => T): T;
  settings(): Settings;
  writeSettings(changes: Partial<Settings>): void;
  append(event: NewEvent): void;

  readPassphrase(): StoredPassphrase | null;
  writePassphrase(stored: StoredPassphrase): void;
  readLockout(): ConsoleLockout;
  writeLockout(lockout: ConsoleLockout): void;

  outcomeCounts(sinceDay: number): OutcomeCount[];
  medianCompletedDuration(sinceDay: number): number | null;
  furthestStepCounts(sinceDay: number): Map<number, number>;
  topErrorCodes(sinceMs: number, limit: number): { code: string; count: number }[];
  errorsByStep(sinceMs: number): { step: string; code: string; count: number }[];
  /** Clock offsets (seconds, phone minus station) of the latest sign-in codes checked since `sinceMs`, newest first. */
  recentClockOffsets(sinceMs: number, limit: number): number[];

  replaceRoster(entries: readonly RosterEntry[]): void;
  rosterProgress(): RosterProgressRow[];

  deleteLockedDevices(email: string): number;
  deleteAgentData(email: string): boolean;
  scrubFreedSpace(): void;
  /** The retention purge (sessions, agents, events older than the retention), null where the store has none yet. */
  purge: ((now: number) => PurgeCounts) | null;

  exportTable(kind: TableExportKind, file: string, onProgress: (rows: number, total: number) => void): Promise<number>;
  writeExportFile(file: string, content: string | Uint8Array): Promise<void>;
  prepareExportFolder(folder: string, defaultFolder: string): Promise<boolean>;
  removableDrives(): Promise<{ label: string; path: string }[]>;
}

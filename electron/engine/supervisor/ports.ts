// What the supervisor's engine needs from the log and the file system, as an interface the store implements.
import type { NewEvent, Period, Settings } from '../domain';
import type { PurgeTrigger } from '../../../shared/supervisor-contract';
import type {
  ClockJump,
  ClockOffset,
  ConsoleLockout,
  DayOutcomeCount,
  FolderAccess,
  FunnelStep,
  PurgeCounts,
  PurgeRecord,
  RosterEntry,
  RosterProgressRow,
  StoredPassphrase,
  TableExportKind,
} from './domain';

export interface SupervisorLog {
  transaction<T>(fn: () => T): T;
  settings(): Settings;
  writeSettings(changes: Partial<Settings>): void;
  append(event: NewEvent): void;

  readPassphrase(): StoredPassphrase | null;
  writePassphrase(stored: StoredPassphrase): void;
  readLockout(): ConsoleLockout;
  writeLockout(lockout: ConsoleLockout): void;

  /** The day and time bounds of a dashboard range in the station's local time. */
  period(range: 'today' | '7d' | 'all', now: number): Period;
  countsByDayAndOutcome(period: Period): DayOutcomeCount[];
  medianDuration(period: Period): number | null;
  funnel(period: Period): FunnelStep[];
  topErrorCodes(period: Period, limit: number): { code: string; count: number }[];
  errorsByStep(period: Period): { step: string; code: string; count: number }[];
  /** Phone clock offsets measured on codes (refused for it or accepted), newest first. */
  clockOffsets(period: Period, limit: number): ClockOffset[];
  clockJumps(period: Period, limit: number): ClockJump[];

  replaceRoster(entries: readonly RosterEntry[]): void;
  rosterProgress(): RosterProgressRow[];

  deleteLockedDevices(email: string): number;
  /** Erases one agent's e-mail, devices and roster line (logged without saying whose); false when nothing was there. */
  eraseAgent(email: string, at: number): boolean;
  scrubFreedSpace(): void;
  /** The retention purge (sessions, agents, events older than the retention period), logged by the store. */
  purge(now: number, trigger: PurgeTrigger): PurgeCounts;
  /** When the last purge ran (at start, hourly or by the supervisor) and what it removed. */
  lastPurge(): PurgeRecord | null;
  /** How open a folder is to other accounts (the data folder's warning); null where modes do not apply. */
  folderAccess(folder: string): FolderAccess | null;

  exportTable(kind: TableExportKind, file: string, onProgress: (rows: number, total: number) => void): Promise<number>;
  writeExportFile(file: string, content: string | Uint8Array): Promise<void>;
  prepareExportFolder(folder: string, defaultFolder: string): Promise<boolean>;
  removableDrives(): Promise<{ label: string; path: string }[]>;
}

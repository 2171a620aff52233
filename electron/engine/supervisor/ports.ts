// What the supervisor's engine needs from the log and the file system, as an interface the store implements.
import type { CsvFormat } from './csv-labels';
import type { NewEvent, Period, Settings } from '../domain';
import type { LogVerificationView, StationView, TrustedStationView } from '../../../shared/supervisor-contract';
import type { PurgeTrigger } from '../../../shared/supervisor-contract';
import type {
  ClockJump,
  ClockOffset,
  ConsoleLockout,
  DayOutcomeCount,
  FolderAccess,
  FunnelStep,
  ImportResult,
  PurgeCounts,
  PurgeRecord,
  RosterEntry,
  RosterProgressRow,
  StationScope,
  StoredPassphrase,
  TableExportKind,
} from './domain';

/** What the dashboard reads, for one station or over several (SupervisorLog.figuresOf). */
export type DashboardSource = Pick<
  SupervisorLog,
  'period' | 'countsByDayAndOutcome' | 'medianDuration' | 'funnel' | 'topErrorCodes' | 'errorsByStep' | 'clockOffsets' | 'clockJumps'
>;

/** Rows done out of rows to do, as a long task reports them. */
export type TaskProgress = (done: number, total: number) => void;

/** A supervisor task running off the kiosk's thread: its answer, and a cancel that changes nothing it had begun. */
export interface RunningTask<T> {
  answer: Promise<T>;
  cancel(): void;
}

/** A folder's content as the roster picker shows it. */
export interface FolderListing {
  folders: { name: string; path: string }[];
  files: { name: string; path: string; bytes: number }[];
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
  /** The retention purge (sessions, agents, events older than the retention period), logged and signed by the store. */
  purge(now: number, trigger: PurgeTrigger): PurgeCounts;
  /** Signs the chain head as it is now (before an export, so what is exported is vouched for). */
  checkpoint(reason: 'export' | 'bundle' | 'import', at: number): void;
  /** When the last purge ran (at start, hourly or by the supervisor) and what it removed. */
  lastPurge(): PurgeRecord | null;
  /** How open a folder is to other accounts (the data folder's warning); null where modes do not apply. */
  folderAccess(folder: string): FolderAccess | null;

  /** A table as CSV in `format` (the console's language: headers, words, separator, local time). */
  exportTable(kind: TableExportKind, file: string, onProgress: (rows: number, total: number) => void, format: CsvFormat): Promise<number>;
  writeExportFile(file: string, content: string | Uint8Array): Promise<void>;
  prepareExportFolder(folder: string, defaultFolder: string): Promise<boolean>;
  removableDrives(): Promise<{ label: string; path: string }[]>;
  /** The sub-folders and CSV files of `folder`, once it is found to lie within one of `roots`; null if it does not. */
  browseWithin(folder: string, roots: readonly string[]): Promise<FolderListing | null>;
  /** The bytes of `file`, once it is found to lie within one of `roots` and hold at most `maxBytes`; null otherwise. */
  readFileWithin(file: string, roots: readonly string[], maxBytes: number): Promise<Buffer | null>;

  /** The dashboard's figures over all stations or one imported station (this station's are the log's own). */
  figuresOf(scope: StationScope): DashboardSource;
  rosterProgressOf(scope: StationScope): RosterProgressRow[];
  /** This station first, then every station imported here. */
  stations(): StationView[];
  /** Verifies this station's log in a worker thread; `onProgress` hears events walked out of the log's. */
  verifyOwnLog(fingerprint: string | undefined, onProgress: TaskProgress): RunningTask<LogVerificationView>;
  /** The events in the log and the hash of the last one, hex (what a report prints to note down). */
  chainHead(): { events: number; headHash: string };
  /** Writes this station's signed bundle (store/bundle.ts) to `file`. */
  writeBundle(file: string, now: () => number): Promise<void>;
  /** The bundle files (*.ekb) in a folder, full paths, sorted by name. */
  listBundles(folder: string): Promise<string[]>;
  /**
   * Imports one bundle in a worker thread; a refusal is a KioskError naming the file, already logged. A bundle
   * signed by a key not on the trust list is held (KioskError bundle_held) unless `trust` is its fingerprint.
   */
  importBundle(file: string, now: () => number, options: { trust?: string; onProgress?: TaskProgress }): RunningTask<ImportResult>;
  /** The stations whose bundles are merged here, by key fingerprint. */
  trustedStations(): TrustedStationView[];
}

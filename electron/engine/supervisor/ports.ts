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

/** Whose figures a dashboard reads: this station's own log, every station, or one imported station. */
export type FigureScope = { kind: 'self' } | StationScope;

/** What one dashboard reads, asked in one go: a reader elsewhere (the log's read worker) answers it in one round trip. */
export interface FigurePlan {
  period: Period;
  /** The clock offsets' window: the period's end, no further back than the recent sample's. */
  clockWindow: Period;
  clockSample: number;
  topErrors: number;
}

/** The figures of one plan, read in one snapshot of the log. */
export interface FigureSet {
  counts: DayOutcomeCount[];
  medianDurationMs: number | null;
  funnel: FunnelStep[];
  topErrors: { code: string; count: number }[];
  difficulties: { step: string; code: string; count: number }[];
  /** Phone clock offsets measured on codes (refused for it or accepted), newest first. */
  clockOffsets: ClockOffset[];
  clockJumps: ClockJump[];
}

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
  /** A dashboard's figures, read off the kiosk's thread (a worker with its own connection) where the log is a file. */
  readFigures(scope: FigureScope, plan: FigurePlan): Promise<FigureSet>;

  replaceRoster(entries: readonly RosterEntry[]): void;
  rosterProgress(): RosterProgressRow[];

  deleteLockedDevices(email: string): number;
  /** Erases one agent's e-mail, devices and roster line (logged without saying whose); false when nothing was there. */
  eraseAgent(email: string, at: number): boolean;
  scrubFreedSpace(): void;
  /**
   * The retention purge (sessions, agents, events older than the retention period), in bounded steps off the kiosk's
   * thread where the log is a file; logged and signed by the store. A cancel keeps the steps done (each leaves the
   * chain verifiable) and logs what they removed.
   */
  purge(now: number, trigger: PurgeTrigger, onProgress?: TaskProgress): RunningTask<PurgeCounts>;
  /** Signs the chain head as it is now (before an export, so what is exported is vouched for). */
  checkpoint(reason: 'export' | 'bundle' | 'import', at: number): void;
  /** When the last purge ran (at start, hourly or by the supervisor) and what it removed. */
  lastPurge(): PurgeRecord | null;
  /** How open a folder is to other accounts (the data folder's warning); null where modes do not apply. */
  folderAccess(folder: string): FolderAccess | null;

  /**
   * A table as CSV in `format` (the console's language: headers, words, separator, local time), written off the
   * kiosk's thread; a failed or cancelled export leaves no file behind, not even its partial one.
   */
  exportTable(kind: TableExportKind, file: string, onProgress: TaskProgress, format: CsvFormat): RunningTask<number>;
  writeExportFile(file: string, content: string | Uint8Array): Promise<void>;
  prepareExportFolder(folder: string, defaultFolder: string): Promise<boolean>;
  removableDrives(): Promise<{ label: string; path: string }[]>;
  /** The sub-folders and CSV files of `folder`, once it is found to lie within one of `roots`; null if it does not. */
  browseWithin(folder: string, roots: readonly string[]): Promise<FolderListing | null>;
  /** The bytes of `file`, once it is found to lie within one of `roots` and hold at most `maxBytes`; null otherwise. */
  readFileWithin(file: string, roots: readonly string[], maxBytes: number): Promise<Buffer | null>;

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

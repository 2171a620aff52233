// The supervisor's part of the contract: first-run wizard and console methods, each with its input and output schema. Near 350 lines: one schema per method, side by side, as in contract.ts.
import { z } from 'zod';
import { LANGUAGES, MODES, STEP_IDS } from './steps';
import { ROSTER_PART_BYTES, type SupervisorMethodName } from './supervisor-methods';

const empty = z.object({}).strict();
const done = z.object({});
const language = z.enum(LANGUAGES);
const mode = z.enum(MODES);
/** The passphrase is bounded so a pasted novel is refused at the boundary, not fed to scrypt. */
const passphrase = z.string().max(256);
const email = z.string().max(254);

export const DASHBOARD_RANGES = ['today', '7d', 'all'] as const;
export type DashboardRange = (typeof DASHBOARD_RANGES)[number];

/** `bundle`: this station's signed bundle for the head station (store/bundle.ts), written like the other exports. */
export const EXPORT_KINDS = ['sessions', 'events', 'roster', 'report', 'bundle'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const ROSTER_STATUSES = ['not-started', 'device-registered', 'sign-in-tested'] as const;
export type RosterStatus = (typeof ROSTER_STATUSES)[number];

export const ROSTER_ROW_PROBLEMS = ['email_invalid', 'email_duplicate', 'too_long', 'unclosed_quote'] as const;

const domain = z
  .string()
  .max(253)
  .regex(/^@?[a-z0-9.-]+\.[a-z]{2,}$/i);

/** A web page or an e-mail address shown to agents and put in a QR: printable text, no spaces. */
const address = z
  .string()
  .trim()
  .min(3)
  .max(200)
  .regex(/^(https?:\/\/|[^\s@]+@)[^\s]+$/);

/** What the supervisor may change; bounds keep a slip of the finger from making the station unusable. */
export const editableSettingsSchema = z.object({
  stationName: z.string().trim().min(1).max(60),
  mode,
  language,
  /** WCAG 2.2.1 leaves the delay to us; under 30 s an agent reading the QR instructions would be cut off. */
  idleSeconds: z.number().int().min(30).max(900),
  /** Installing the app on prepare-phone: 10 minutes by default, up to 30. */
  preparePhoneIdleSeconds: z.number().int().min(60).max(1800),
  /** A touch-only station (no physical keyboard) shows an on-screen keyboard for the agent's text fields. */
  hasKeyboard: z.boolean(),
  allowedDomains: z.array(domain).max(20),
  qrValiditySeconds: z.number().int().min(60).max(1800),
  /** Empty: the product and station name (electron/engine/practice-entry.ts). */
  issuer: z.string().trim().max(40),
  retentionDays: z.number().int().min(1).max(3650),
  /** PRODUCT.md assumptions, now the organisation's to set: 3..10 keeps a typo from locking and a guesser out. */
  maxPinAttempts: z.number().int().min(3).max(10),
  maxCodeAttempts: z.number().int().min(3).max(10),
  helpAddress: address,
  signInAddress: address,
  supportAddress: address,
});
export type EditableSettings = z.infer<typeof editableSettingsSchema>;

export const settingsViewSchema = editableSettingsSchema.extend({
  /** The values EU Login does not publish, shown to the supervisor as assumptions. */
  assumptions: z.object({
    maxPinAttempts: z.number().int(),
    maxCodeAttempts: z.number().int(),
    codeDigits: z.number().int(),
    qrValiditySeconds: z.number().int(),
    blockedPins: z.number().int(),
  }),
  dataDir: z.string(),
  /** This station's key fingerprint, as printed in the report (null before the identity exists). */
  fingerprint: z.string().nullable(),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

const count = z.number().int().nonnegative();

/** Whose figures: this station, every station (this one and those imported), or one station by its id. */
export const stationScopeSchema = z.union([
  z.literal('this'),
  z.literal('all'),
  z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
]);
export type StationScopeInput = z.infer<typeof stationScopeSchema>;

/** Who ran a retention purge: the station at start, its hourly timer, or the supervisor's "purge now". */
export const PURGE_TRIGGERS = ['start', 'hourly', 'supervisor'] as const;
export type PurgeTrigger = (typeof PURGE_TRIGGERS)[number];

export const dashboardSchema = z.object({
  range: z.enum(DASHBOARD_RANGES),
  station: stationScopeSchema,
  /** Start of the range (local midnight), null for 'all'. */
  from: z.number().nullable(),
  generatedAt: z.number(),
  sessions: count,
  completed: count,
  abandoned: count,
  timedOut: count,
  locked: count,
  failed: count,
  inProgress: count,
  training: count,
  /** completed / ended sessions, 0..1; null when none has ended. */
  completionRate: z.number().nullable(),
  medianDurationMs: z.number().nullable(),
  /** Sessions that reached each step (furthest step at least this one). */
  funnel: z.array(z.object({ step: z.enum(STEP_IDS), reached: count })),
  topErrors: z.array(z.object({ code: z.string(), count })),
  /** Refusals by step and code: the report's "difficulties by step". */
  difficulties: z.array(z.object({ step: z.string(), code: z.string(), count })),
  clockOffset: z.object({
    medianSeconds: z.number().nullable(),
    samples: count,
    /** The median of recent sign-ins is more than a minute off: the station's clock (or the phones') needs setting. */
    warning: z.boolean(),
    /** Times the station's own clock went back in the range (logged at session starts), and the largest jump. */
    jumpsBack: count,
    largestJumpSeconds: z.number().nullable(),
  }),
  /** The last codes checked in the range, newest first: when, the phone's offset, refused or not. No personal data. */
  recentClockOffsets: z.array(z.object({ at: z.number(), seconds: z.number(), accepted: z.boolean() })),
  /** What keeps the station's data private: the retention purge and who else may read the data folder. */
  housekeeping: z.object({
    lastPurge: z
      .object({ at: z.number(), trigger: z.enum(PURGE_TRIGGERS), retentionDays: count, sessions: count, agents: count, events: count })
      .nullable(),
    /** null where file modes do not apply (Windows). */
    dataFolder: z.object({ path: z.string(), mode: z.string(), openToOthers: z.boolean() }).nullable(),
  }),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

/**
 * What holds the browser shell's kiosk window: `held` (its launcher's DevTools pipe closes every
 * other window and pins the page), `windowed` (a developer's window, KIOSK_WINDOWED=1) or `not-held`
 * (`serve`: the page is open in a browser nothing controls); `policies`: the machine's Chromium
 * managed policies of the kiosk are installed.
 */
export const shellLockSchema = z.object({
  window: z.enum(['held', 'windowed', 'not-held']),
  policies: z.boolean(),
});
export type ShellLock = z.infer<typeof shellLockSchema>;

/** The dashboard as the console gets it: the figures, and the shell's lock (null in Electron, which holds its own window). */
export const dashboardViewSchema = dashboardSchema.extend({ shellLock: shellLockSchema.nullable() });
export type DashboardView = z.infer<typeof dashboardViewSchema>;

export const rosterAgentSchema = z.object({
  email: z.string(),
  name: z.string(),
  service: z.string(),
  status: z.enum(ROSTER_STATUSES),
});

export const rosterViewSchema = z.object({
  agents: z.array(rosterAgentSchema),
  counts: z.object({ total: count, notStarted: count, deviceRegistered: count, signInTested: count }),
});
export type RosterView = z.infer<typeof rosterViewSchema>;

/** ROSTER_PART_BYTES in base64. */
const ROSTER_PART_BASE64_MAX = Math.ceil(ROSTER_PART_BYTES / 3) * 4;
/** 256 parts: a 7.5 MB file, far beyond any roster, and a bound on what the engine holds while parts arrive. */
const ROSTER_MAX_PARTS = 256;
/** The largest roster file read from a drive: as much as the upload in parts allows. */
export const ROSTER_MAX_BYTES = ROSTER_PART_BYTES * ROSTER_MAX_PARTS;

export const rosterImportSchema = z.object({
  imported: count,
  encoding: z.enum(['utf-8', 'windows-1252']),
  errors: z.array(z.object({ line: z.number().int(), reason: z.enum(ROSTER_ROW_PROBLEMS), value: z.string() })),
});
export type RosterImport = z.infer<typeof rosterImportSchema>;

export const exportProgressSchema = z.object({
  state: z.enum(['idle', 'running', 'done', 'failed']),
  kind: z.enum(EXPORT_KINDS).nullable(),
  rows: count,
  total: count,
  /** Files written so far, full paths. */
  files: z.array(z.string()),
  errorCode: z.string().nullable(),
});
export type ExportProgress = z.infer<typeof exportProgressSchema>;

/** What log verification can find wrong (electron/store/verify.ts); the console shows each in words. */
export const VERIFY_PROBLEM_CODES = [
  'link_missing',
  'link_mismatch',
  'anchor_mismatch',
  'signature_invalid',
  'key_changed',
  'fingerprint_mismatch',
  'count_mismatch',
  'anchor_moved',
  'unsigned',
  'session_not_covered',
  'session_mismatch',
  'session_row_missing',
] as const;

export const verifyProblemSchema = z.object({
  code: z.enum(VERIFY_PROBLEM_CODES),
  eventId: z.number().int().nullable(),
  expected: z.number().int().optional(),
  sessionId: z.number().int().optional(),
  from: z.number().int().optional(),
  to: z.number().int().optional(),
});
export type VerifyProblem = z.infer<typeof verifyProblemSchema>;

export const stationSchema = z.object({
  stationId: z.string(),
  name: z.string(),
  fingerprint: z.string(),
  isSelf: z.boolean(),
  /** How far this station's chain has been imported here (0 for this station itself). */
  lastEventId: count,
  importedAt: z.number().nullable(),
});
export type StationView = z.infer<typeof stationSchema>;

export const stationFiguresSchema = z.object({
  stationId: z.string(),
  name: z.string(),
  isSelf: z.boolean(),
  sessions: count,
  completed: count,
  inProgress: count,
  completionRate: z.number().nullable(),
  medianDurationMs: z.number().nullable(),
  /** Roster agents with a device registered / sign-in tested at this station. */
  registered: count,
  tested: count,
});
export type StationFigures = z.infer<typeof stationFiguresSchema>;

export const logVerificationSchema = z.object({
  ok: z.boolean(),
  events: count,
  headHash: z.string(),
  checkpoints: count,
  stationId: z.string().nullable(),
  fingerprint: z.string().nullable(),
  unsignedAfter: count,
  problem: verifyProblemSchema.nullable(),
});
export type LogVerificationView = z.infer<typeof logVerificationSchema>;

export const importProgressSchema = z.object({
  state: z.enum(['idle', 'running', 'done', 'failed']),
  /** Files in the folder, and files done. */
  total: count,
  done: count,
  /** Within the file being imported: rows checked and merged, out of the rows to do. */
  rows: count,
  rowsTotal: count,
  results: z.array(
    z.object({
      file: z.string(),
      ok: z.boolean(),
      stationName: z.string().nullable(),
      events: count,
      sessions: count,
      errorCode: z.string().nullable(),
      /** A held bundle's key fingerprint (errorCode bundle_held), to compare with the one on its station's console. */
      fingerprint: z.string().nullable(),
    }),
  ),
  errorCode: z.string().nullable(),
});
export type ImportProgress = z.infer<typeof importProgressSchema>;

/** Verifying runs off the kiosk's thread: started, then followed (events walked out of the log's) until done. */
export const verifyProgressSchema = z.object({
  state: z.enum(['idle', 'running', 'done', 'failed']),
  done: count,
  total: count,
  result: logVerificationSchema.nullable(),
  errorCode: z.string().nullable(),
});
export type VerifyProgress = z.infer<typeof verifyProgressSchema>;

export const trustedStationSchema = z.object({ fingerprint: z.string(), name: z.string(), trustedAt: z.number() });
export type TrustedStationView = z.infer<typeof trustedStationSchema>;

interface MethodSpec {
  input: z.ZodType;
  output: z.ZodType;
}

export const supervisorApi = {
  /** First-run wizard; refused once done (the console changes these afterwards). */
  completeSetup: {
    input: z
      .object({ stationName: z.string().trim().min(1).max(60), passphrase, passphraseConfirm: passphrase, mode, language })
      .strict(),
    output: done,
  },
  /** Checks the passphrase and opens the console on the station until it has been idle for 2 minutes. */
  openConsole: {
    input: z.object({ passphrase }).strict(),
    output: z.object({ idleSeconds: z.number().int().positive() }),
  },
  /** The supervisor is active in the console without calling anything (typing a setting): keeps it open. */
  pingConsole: { input: empty, output: z.object({ idleSeconds: z.number().int().positive() }) },
  /** `idle`: the screen closed it after 2 minutes without input (logged as such), not the supervisor. */
  closeConsole: { input: z.object({ idle: z.boolean().optional() }).strict(), output: done },
  getDashboard: {
    input: z.object({ range: z.enum(DASHBOARD_RANGES), station: stationScopeSchema.optional() }).strict(),
    output: dashboardViewSchema,
  },
  getSettings: { input: empty, output: settingsViewSchema },
  updateSettings: { input: editableSettingsSchema.partial().strict(), output: settingsViewSchema },
  /**
   * Replaces the roster with the good rows of a CSV; the bad ones come back with their line numbers.
   * The file travels in parts (0..parts-1): the browser shell refuses bodies over 64 KiB, and a
   * ministry's roster can be bigger. The result comes with the last part.
   */
  importRoster: {
    input: z
      .object({
        fileName: z.string().max(255),
        bytesBase64: z.string().max(ROSTER_PART_BASE64_MAX),
        part: z.number().int().min(0),
        parts: z.number().int().min(1).max(ROSTER_MAX_PARTS),
      })
      .strict(),
    output: z.object({ complete: z.boolean(), result: rosterImportSchema.nullable() }),
  },
  getRoster: { input: z.object({ station: stationScopeSchema.optional() }).strict(), output: rosterViewSchema },
  /**
   * The kiosk's own file picker for the roster (no system file chooser, which a locked kiosk cannot show): the
   * sub-folders and CSV files of `folder`, which must lie within a USB drive mounted now or the station's export
   * folder. An empty `folder` lists those places themselves.
   */
  browseRosterFiles: {
    input: z.object({ folder: z.string().max(1024) }).strict(),
    output: z.object({
      folder: z.string(),
      /** The folder above, while still within the same place; null at a drive's top. */
      parent: z.string().nullable(),
      folders: z.array(z.object({ name: z.string(), path: z.string() })),
      files: z.array(z.object({ name: z.string(), path: z.string(), bytes: z.number().int().nonnegative() })),
    }),
  },
  /** Imports the roster CSV at `path` (within the places browseRosterFiles lists), as importRoster does. */
  importRosterFile: { input: z.object({ path: z.string().min(1).max(1024) }).strict(), output: rosterImportSchema },
  /** The default export folder and the removable drives mounted now (the browser shell has no folder picker). */
  getExportTargets: {
    input: empty,
    output: z.object({ defaultFolder: z.string(), removable: z.array(z.object({ label: z.string(), path: z.string() })) }),
  },
  /** Starts an export into `folder`; poll getExportProgress until it is done. */
  exportData: {
    /** `language`: the report's, the one the console is shown in (else the station's). */
    input: z.object({ kind: z.enum(EXPORT_KINDS), folder: z.string().min(1).max(1024), language: language.optional() }).strict(),
    output: exportProgressSchema,
  },
  getExportProgress: { input: empty, output: exportProgressSchema },
  /** The printable report, in the console's language (else the station's), as markup for the browser shell's print view. */
  /**
   * The report as HTML for the console's preview; `canPrint` is false where the page cannot print (the locked browser
   * shell turns printing off so that no print preview or file chooser reaches an agent): the preview then points to
   * the report's PDF export onto a drive instead.
   */
  getReport: {
    input: z.object({ language: language.optional() }).strict(),
    output: z.object({ bodyHtml: z.string(), canPrint: z.boolean() }),
  },
  purgeNow: { input: empty, output: z.object({ sessions: count, agents: count, events: count }) },
  /** A jump of the station's clock no supervisor has confirmed (the station's purges wait for it), and its time now. */
  getClockStatus: {
    input: empty,
    output: z.object({
      now: z.number(),
      jump: z.object({ direction: z.enum(['back', 'forward']), seconds: count, at: z.number() }).nullable(),
    }),
  },
  /** The supervisor has checked the station's time: the purges run on it again. */
  confirmClock: { input: empty, output: done },
  /** A locked device's secret is already gone: unlocking removes it so the agent can enrol again. */
  unlockDevice: { input: z.object({ email }).strict(), output: z.object({ devices: count }) },
  eraseAgent: { input: z.object({ email }).strict(), output: z.object({ erased: z.boolean() }) },
  changePassphrase: {
    input: z.object({ current: passphrase, next: passphrase, nextConfirm: passphrase }).strict(),
    output: done,
  },
  /** The Electron shell quits; the browser shell's server stops and the page says so. */
  exitKiosk: { input: empty, output: done },
  /** This station and every station imported here, with their key fingerprints. */
  getStations: { input: empty, output: z.object({ stations: z.array(stationSchema) }) },
  /** Each station's figures side by side (this one first), for a range. */
  compareStations: {
    input: z.object({ range: z.enum(DASHBOARD_RANGES) }).strict(),
    output: z.object({ rows: z.array(stationFiguresSchema) }),
  },
  /**
   * Starts verifying this station's own log (with the fingerprint noted from a printed report, another key is
   * caught too); poll getVerifyProgress until it is done.
   */
  verifyLog: { input: z.object({ fingerprint: z.string().max(80).optional() }).strict(), output: verifyProgressSchema },
  getVerifyProgress: { input: empty, output: verifyProgressSchema },
  /** Starts importing every bundle (*.ekb) found in `folder`; poll getImportProgress until it is done. */
  importBundles: { input: z.object({ folder: z.string().min(1).max(1024) }).strict(), output: importProgressSchema },
  getImportProgress: { input: empty, output: importProgressSchema },
  /**
   * The supervisor compared the held bundle's fingerprint with the one on its station's console: that key is
   * trusted and the file imported (again from the drive: a file swapped meanwhile is held again, by its own key).
   */
  approveBundle: {
    input: z.object({ file: z.string().min(1).max(255), fingerprint: z.string().min(1).max(80) }).strict(),
    output: importProgressSchema,
  },
  /** Stops the running verification or import; nothing it had begun to write is kept. */
  cancelTask: { input: empty, output: done },
  /** The stations whose bundles this head station merges. */
  getTrustedStations: { input: empty, output: z.object({ stations: z.array(trustedStationSchema) }) },
} as const satisfies { [M in SupervisorMethodName]: MethodSpec };


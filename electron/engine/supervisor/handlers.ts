// The supervisor's contract methods: the first-run wizard and every console action, each refused unless the console is open.
import { basename, join } from 'node:path';
import type { z } from 'zod';
import type { EventType } from '../../../shared/event-types';
import { KioskError } from '../../../shared/errors';
import { CONSOLE_IDLE_SECONDS, type SupervisorMethodName } from '../../../shared/supervisor-methods';
import type {
  DashboardRange,
  EditableSettings,
  ExportKind,
  ExportProgress,
  ImportProgress,
  RosterView,
  SettingsView,
  ShellLock,
  StationFigures,
  StationScopeInput,
  supervisorApi,
} from '../../../shared/supervisor-contract';
import type { Settings } from '../domain';
import type { Clock } from '../clock';
import { COMMON_PINS } from '../pin-blocklist';
import { normaliseDomain, normaliseEmail } from '../rules';
import { createConsoleGate, type ConsoleGate } from './console-gate';
import { buildDashboard } from './dashboard';
import type { DashboardSource, SupervisorLog } from './ports';
import type { RosterProgressRow } from '../../store/supervisor-queries';
import { renderReportBody, renderReportDocument, type ReportData } from './report';
import { parseRosterCsv } from './roster-csv';

type Spec = typeof supervisorApi;
export type SupervisorHandlers = {
  [M in SupervisorMethodName]: (input: z.output<Spec[M]['input']>) => Promise<z.output<Spec[M]['output']>>;
};

export interface SupervisorOptions {
  log: SupervisorLog;
  clock: Clock;
  dataDir: string;
  /** The shell quits (Electron) or stops its server (browser shell). Called once the answer has gone out. */
  onExit?: () => void;
  /** Electron's printToPDF of the report page; absent in the browser shell, which prints from the console. */
  printToPdf?: (html: string) => Promise<Uint8Array>;
  /** What holds the browser shell's window; the dashboard shows it. Absent in Electron. */
  shellLock?: () => ShellLock;
}

export interface Supervisor {
  handlers: SupervisorHandlers;
  gate: ConsoleGate;
}

/** PRODUCT.md "What the public sources do not say": the values shown to the supervisor as assumptions. */
const CODE_DIGITS = 6;

function settingsView(settings: Settings, dataDir: string, fingerprint: string | null): SettingsView {
  return {
    stationName: settings.stationName,
    mode: settings.mode,
    language: settings.language,
    idleSeconds: settings.idleSeconds,
    allowedDomains: settings.allowedDomains,
    qrValiditySeconds: settings.qrValiditySeconds,
    issuer: settings.issuer,
    retentionDays: settings.retentionDays,
    assumptions: {
      maxPinAttempts: settings.maxPinAttempts,
      maxCodeAttempts: settings.maxCodeAttempts,
      codeDigits: CODE_DIGITS,
      qrValiditySeconds: settings.qrValiditySeconds,
      blockedPins: COMMON_PINS.length,
    },
    dataDir,
    fingerprint,
  };
}

/** "20261125-1830": sorts by date in a file listing, and has no character a FAT-formatted stick refuses. */
export function fileStamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** The dashboard's source for a scope: this station's own log, all stations, or one imported station. */
function figuresFor(log: SupervisorLog, station: StationScopeInput): DashboardSource {
  if (station === 'this') return log;
  if (station === 'all') return log.figuresOf({ kind: 'all' });
  const known = log.stations().find((s) => s.stationId === station);
  if (!known) throw new KioskError('invalid_input', { field: 'station' });
  return known.isSelf ? log : log.figuresOf({ kind: 'station', stationId: station });
}

function rosterRowsFor(log: SupervisorLog, station: StationScopeInput): RosterProgressRow[] {
  if (station === 'this') return log.rosterProgress();
  if (station === 'all') return log.rosterProgressOf({ kind: 'all' });
  const known = log.stations().find((s) => s.stationId === station);
  if (!known) throw new KioskError('invalid_input', { field: 'station' });
  return known.isSelf ? log.rosterProgress() : log.rosterProgressOf({ kind: 'station', stationId: station });
}

/** Each station's main figures side by side, this station first. */
export function compareStations(log: SupervisorLog, range: DashboardRange, now: number, dataDir: string): StationFigures[] {
  return log.stations().map((s) => {
    const scope = s.isSelf ? 'this' : s.stationId;
    const d = buildDashboard(log, range, now, dataDir, { figures: figuresFor(log, scope), station: scope });
    const roster = rosterView(rosterRowsFor(log, scope)).counts;
    return {
      stationId: s.stationId,
      name: s.name,
      isSelf: s.isSelf,
      sessions: d.sessions,
      completed: d.completed,
      inProgress: d.inProgress,
      completionRate: d.completionRate,
      medianDurationMs: d.medianDurationMs,
      registered: roster.deviceRegistered + roster.signInTested,
      tested: roster.signInTested,
    };
  });
}

function rosterView(rows: RosterProgressRow[]): RosterView {
  const agents = rows.map((r) => ({
    email: r.email,
    name: r.name,
    service: r.service,
    status: r.tested ? ('sign-in-tested' as const) : r.registered ? ('device-registered' as const) : ('not-started' as const),
  }));
  const count = (status: string) => agents.filter((a) => a.status === status).length;
  return {
    agents,
    counts: {
      total: agents.length,
      notStarted: count('not-started'),
      deviceRegistered: count('device-registered'),
      signInTested: count('sign-in-tested'),
    },
  };
}

/** The printable report's figures: today, the last 7 days and since the start, and the roster's progress. */
export function buildReportData(log: SupervisorLog, now: number, dataDir: string): ReportData {
  const stations = log.stations();
  // With other stations imported, the report is the day's combined one: all stations, then each side by side.
  const scope: StationScopeInput = stations.length > 1 ? 'all' : 'this';
  const figures = figuresFor(log, scope);
  const roster = rosterView(rosterRowsFor(log, scope)).counts;
  return {
    stationName: log.settings().stationName,
    generatedAt: now,
    today: buildDashboard(log, 'today', now, dataDir, { figures, station: scope }),
    week: buildDashboard(log, '7d', now, dataDir, { figures, station: scope }),
    all: buildDashboard(log, 'all', now, dataDir, { figures, station: scope }),
    roster: roster.total > 0 ? roster : null,
    stations,
    byStation: stations.length > 1 ? compareStations(log, 'all', now, dataDir) : [],
    // The head as it is (a checkpoint signs it before an export): reading it costs one row, unlike a verification.
    signedHead: log.chainHead(),
  };
}

export function createSupervisor(options: SupervisorOptions): Supervisor {
  const { log, clock, dataDir } = options;
  const gate = createConsoleGate(log, clock);
  // Until the first-run wizard has set a passphrase, the station shows only the wizard and the engine refuses `start`.
  if (!gate.isSetUp() && log.settings().status !== 'setup-required') log.writeSettings({ status: 'setup-required' });
  const defaultFolder = join(dataDir, 'exports');
  const ownFingerprint = () => log.stations().find((s) => s.isSelf)?.fingerprint ?? null;
  let job: ExportProgress = { state: 'idle', kind: null, rows: 0, total: 0, files: [], errorCode: null };
  let importJob: ImportProgress = { state: 'idle', total: 0, done: 0, results: [], errorCode: null };
  /** A roster file arriving in parts; dropped on the last part or on any out-of-order part. */
  let upload: { fileName: string; parts: number; received: Buffer[] } | null = null;

  const event = (type: EventType, details: Record<string, string | number | boolean | null> | null = null) =>
    log.append({ sessionId: null, at: clock.now(), step: null, type, details });

  const reportData = () => buildReportData(log, clock.now(), dataDir);

  async function runExport(kind: ExportKind, folder: string): Promise<void> {
    const stamp = fileStamp(clock.now());
    // Signed first: the exported files (and the report's head hash) are then covered by a checkpoint.
    log.checkpoint('export', clock.now());
    if (kind === 'report') {
      const html = renderReportDocument(reportData());
      const htmlFile = join(folder, `rapport-${stamp}.html`);
      await log.writeExportFile(htmlFile, html);
      job = { ...job, files: [htmlFile], rows: 1, total: options.printToPdf ? 2 : 1 };
      if (options.printToPdf) {
        const pdfFile = join(folder, `rapport-${stamp}.pdf`);
        await log.writeExportFile(pdfFile, await options.printToPdf(html));
        job = { ...job, files: [htmlFile, pdfFile], rows: 2 };
      }
    } else if (kind === 'bundle') {
      // One file per station and moment: bundles of several stations sit side by side on one drive.
      const self = log.stations().find((st) => st.isSelf);
      const file = join(folder, `poste-${stamp}-${(self?.stationId ?? 'station').slice(0, 8)}.ekb`);
      job = { ...job, total: 1 };
      await log.writeBundle(file, () => clock.now());
      job = { ...job, files: [file], rows: 1 };
    } else {
      const file = join(folder, `kiosk-${kind}-${stamp}.csv`);
      await log.exportTable(kind, file, (rows, total) => {
        job = { ...job, rows, total };
      });
      job = { ...job, files: [file] };
    }
    event('data_exported', { kind });
  }

  /** Every console method goes through here: a closed (or expired) console refuses before anything is read. */
  function guarded<M extends SupervisorMethodName>(handler: SupervisorHandlers[M]): SupervisorHandlers[M] {
    return ((input: never) => {
      gate.touch();
      return handler(input);
    }) as SupervisorHandlers[M];
  }

  const handlers: SupervisorHandlers = {
    async completeSetup(input) {
      await gate.setFirstPassphrase(input.passphrase, input.passphraseConfirm, () =>
        log.writeSettings({ stationName: input.stationName, mode: input.mode, language: input.language, status: 'ready' }),
      );
      return {};
    },

    async openConsole({ passphrase }) {
      await gate.open(passphrase);
      return { idleSeconds: CONSOLE_IDLE_SECONDS };
    },

    pingConsole: guarded<'pingConsole'>(async () => ({ idleSeconds: CONSOLE_IDLE_SECONDS })),

    async closeConsole({ idle }) {
      gate.close(idle ?? false);
      return {};
    },

    getDashboard: guarded<'getDashboard'>(async ({ range, station }) => ({
      ...buildDashboard(log, range, clock.now(), dataDir, { figures: figuresFor(log, station ?? 'this'), station: station ?? 'this' }),
      shellLock: options.shellLock?.() ?? null,
    })),

    getSettings: guarded<'getSettings'>(async () => settingsView(log.settings(), dataDir, ownFingerprint())),

    updateSettings: guarded<'updateSettings'>(async (changes) => {
      const next: Partial<EditableSettings> = { ...changes };
      if (changes.allowedDomains) {
        next.allowedDomains = [...new Set(changes.allowedDomains.map(normaliseDomain))];
      }
      log.transaction(() => {
        log.writeSettings(next);
        event('settings_changed', { keys: Object.keys(next).sort().join(',') });
      });
      return settingsView(log.settings(), dataDir, ownFingerprint());
    }),

    importRoster: guarded<'importRoster'>(async ({ fileName, bytesBase64, part, parts }) => {
      // Parts arrive in order from one screen; anything else starts over rather than mixing two files.
      if (part === 0) upload = { fileName, parts, received: [] };
      if (!upload || upload.fileName !== fileName || upload.parts !== parts || upload.received.length !== part) {
        upload = null;
        throw new KioskError('invalid_input', { field: 'part' });
      }
      upload.received.push(Buffer.from(bytesBase64, 'base64'));
      if (part < parts - 1) return { complete: false, result: null };
      const bytes = Buffer.concat(upload.received);
      upload = null;
      const parsed = parseRosterCsv(bytes);
      if (parsed.rows.length === 0 && parsed.errors.length === 0) throw new KioskError('roster_invalid');
      const importedAt = clock.now();
      // No good row: the previous roster stays, and the supervisor sees why every row was refused.
      if (parsed.rows.length > 0) {
        log.transaction(() => {
          log.replaceRoster(parsed.rows.map((r) => ({ email: r.email, name: r.name, service: r.service, importedAt })));
          event('roster_imported', { rows: parsed.rows.length, refused: parsed.errors.length });
        });
      }
      return {
        complete: true,
        result: {
          imported: parsed.rows.length,
          encoding: parsed.encoding,
          errors: parsed.errors.map((e) => ({ line: e.line, reason: e.reason, value: e.value })),
        },
      };
    }),

    getRoster: guarded<'getRoster'>(async ({ station }) => rosterView(rosterRowsFor(log, station ?? 'this'))),

    getExportTargets: guarded<'getExportTargets'>(async () => ({
      defaultFolder,
      removable: await log.removableDrives(),
    })),

    exportData: guarded<'exportData'>(async ({ kind, folder }) => {
      if (job.state === 'running') throw new KioskError('export_busy');
      if (!(await log.prepareExportFolder(folder, defaultFolder))) throw new KioskError('export_folder_invalid', { folder });
      job = { state: 'running', kind, rows: 0, total: 0, files: [], errorCode: null };
      runExport(kind, folder).then(
        () => {
          job = { ...job, state: 'done' };
        },
        () => {
          // The reason (disk full, stick pulled) is not the supervisor's to debug; the code says what to do.
          job = { ...job, state: 'failed', errorCode: 'export_failed' };
        },
      );
      return job;
    }),

    getExportProgress: guarded<'getExportProgress'>(async () => job),

    getReport: guarded<'getReport'>(async () => ({ bodyHtml: renderReportBody(reportData()) })),

    purgeNow: guarded<'purgeNow'>(async () => log.purge(clock.now(), 'supervisor')),

    unlockDevice: guarded<'unlockDevice'>(async ({ email }) => {
      const devices = log.transaction(() => {
        const n = log.deleteLockedDevices(normaliseEmail(email));
        if (n > 0) event('device_unlocked', { devices: n });
        return n;
      });
      return { devices };
    }),

    eraseAgent: guarded<'eraseAgent'>(async ({ email }) => {
      // The store logs that an erasure happened, never whose: the log must not keep what was erased.
      const erased = log.eraseAgent(normaliseEmail(email), clock.now());
      if (!erased) throw new KioskError('agent_not_found');
      log.scrubFreedSpace();
      return { erased };
    }),

    changePassphrase: guarded<'changePassphrase'>(async ({ current, next, nextConfirm }) => {
      try {
        await gate.changePassphrase(current, next, nextConfirm);
      } catch (error) {
        // Locked out while inside: whoever is at the keyboard may not be the supervisor.
        if (error instanceof KioskError && error.code === 'console_locked') gate.close();
        throw error;
      }
      return {};
    }),

    getStations: guarded<'getStations'>(async () => ({ stations: log.stations() })),

    compareStations: guarded<'compareStations'>(async ({ range }) => ({ rows: compareStations(log, range, clock.now(), dataDir) })),

    verifyLog: guarded<'verifyLog'>(async ({ fingerprint }) => {
      const result = log.verifyOwnLog(fingerprint?.trim() ? fingerprint : undefined);
      event('log_verified', { ok: result.ok, problem: result.problem?.code ?? null });
      return result;
    }),

    importBundles: guarded<'importBundles'>(async ({ folder }) => {
      if (importJob.state === 'running' || job.state === 'running') throw new KioskError('export_busy');
      const files = await log.listBundles(folder).catch(() => null);
      if (files === null) throw new KioskError('export_folder_invalid', { folder });
      importJob = { state: 'running', total: files.length, done: 0, results: [], errorCode: null };
      void (async () => {
        for (const file of files) {
          const name = basename(file);
          try {
            const r = await log.importBundle(file, () => clock.now());
            importJob.results.push({ file: name, ok: true, stationName: r.stationName, events: r.events, sessions: r.sessions, errorCode: null });
          } catch (error) {
            const code = error instanceof KioskError ? error.code : 'bundle_failed';
            importJob.results.push({ file: name, ok: false, stationName: null, events: 0, sessions: 0, errorCode: code });
          }
          importJob = { ...importJob, done: importJob.done + 1 };
        }
        importJob = { ...importJob, state: 'done' };
      })();
      return importJob;
    }),

    getImportProgress: guarded<'getImportProgress'>(async () => importJob),

    exitKiosk: guarded<'exitKiosk'>(async () => {
      event('kiosk_exit');
      gate.close();
      // After the answer has left: the page must learn the exit was accepted before the process goes.
      if (options.onExit) setTimeout(options.onExit, 200);
      return {};
    }),
  };

  return { handlers, gate };
}

// The supervisor's contract methods: the first-run wizard and every console action, each refused unless the console is open.
import { join } from 'node:path';
import type { z } from 'zod';
import { KioskError } from '../../../shared/errors';
import { CONSOLE_IDLE_SECONDS, type SupervisorMethodName } from '../../../shared/supervisor-methods';
import type {
  EditableSettings,
  ExportKind,
  ExportProgress,
  RosterView,
  SettingsView,
  supervisorApi,
} from '../../../shared/supervisor-contract';
import type { Settings } from '../../store/settings';
import type { Clock } from '../clock';
import { COMMON_PINS } from '../pin-blocklist';
import { normaliseEmail } from '../rules';
import { createConsoleGate, type ConsoleGate } from './console-gate';
import { buildDashboard } from './dashboard';
import type { SupervisorLog } from './ports';
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
}

export interface Supervisor {
  handlers: SupervisorHandlers;
  gate: ConsoleGate;
}

/** PRODUCT.md "What the public sources do not say": the values shown to the supervisor as assumptions. */
const CODE_DIGITS = 6;

function settingsView(settings: Settings, dataDir: string): SettingsView {
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
  };
}

/** "20261125-1830": sorts by date in a file listing, and has no character a FAT-formatted stick refuses. */
export function fileStamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

function rosterView(log: SupervisorLog): RosterView {
  const agents = log.rosterProgress().map((r) => ({
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
export function buildReportData(log: SupervisorLog, now: number): ReportData {
  const roster = rosterView(log).counts;
  return {
    stationName: log.settings().stationName,
    generatedAt: now,
    today: buildDashboard(log, 'today', now),
    week: buildDashboard(log, '7d', now),
    all: buildDashboard(log, 'all', now),
    roster: roster.total > 0 ? roster : null,
  };
}

export function createSupervisor(options: SupervisorOptions): Supervisor {
  const { log, clock, dataDir } = options;
  const gate = createConsoleGate(log, clock);
  // Until the first-run wizard has set a passphrase, the station shows only the wizard and the engine refuses `start`.
  if (!gate.isSetUp() && log.settings().status !== 'setup-required') log.writeSettings({ status: 'setup-required' });
  const defaultFolder = join(dataDir, 'exports');
  let job: ExportProgress = { state: 'idle', kind: null, rows: 0, total: 0, files: [], errorCode: null };
  /** A roster file arriving in parts; dropped on the last part or on any out-of-order part. */
  let upload: { fileName: string; parts: number; received: Buffer[] } | null = null;

  const event = (type: string, details: Record<string, string | number | boolean | null> | null = null) =>
    log.append({ sessionId: null, at: clock.now(), step: null, type, details });

  const reportData = () => buildReportData(log, clock.now());

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

    getDashboard: guarded<'getDashboard'>(async ({ range }) => buildDashboard(log, range, clock.now())),

    getSettings: guarded<'getSettings'>(async () => settingsView(log.settings(), dataDir)),

    updateSettings: guarded<'updateSettings'>(async (changes) => {
      const next: Partial<EditableSettings> = { ...changes };
      if (changes.allowedDomains) {
        next.allowedDomains = [...new Set(changes.allowedDomains.map((d) => d.toLowerCase().replace(/^@/, '')))];
      }
      log.transaction(() => {
        log.writeSettings(next);
        event('settings_changed', { keys: Object.keys(next).sort().join(',') });
      });
      return settingsView(log.settings(), dataDir);
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

    getRoster: guarded<'getRoster'>(async () => rosterView(log)),

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

    purgeNow: guarded<'purgeNow'>(async () => log.purge(clock.now())),

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

// The supervisor's contract methods: the first-run wizard and every console action, each refused unless the console is open.
import type { z } from 'zod';
import type { EventType } from '../../../shared/event-types';
import { KioskError } from '../../../shared/errors';
import { CODE_DIGITS } from '../../../shared/credential-lengths';
import { CONSOLE_DOOR_METHODS, CONSOLE_IDLE_SECONDS, SUPERVISOR_METHOD_NAMES, type SupervisorMethodName } from '../../../shared/supervisor-methods';
import type { EditableSettings, SettingsView, ShellLock, supervisorApi } from '../../../shared/supervisor-contract';
import type { Settings } from '../domain';
import type { Clock, ClockJump } from '../clock';
import { COMMON_PINS } from '../pin-blocklist';
import { normaliseDomain, normaliseEmail } from '../rules';
import { createConsoleGate, type ConsoleGate } from './console-gate';
import { buildDashboard } from './dashboard';
import { createExportHandlers, exportFolder } from './exports';
import type { PurgeCounts } from './domain';
import type { RunningTask, SupervisorLog } from './ports';
import { createRosterHandlers } from './roster';
import { figuresFor } from './scope';
import { createStationHandlers } from './stations';

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
  /** The station clock's unconfirmed jump (engine/clock.ts watchClock), and the supervisor's confirmation of the time. */
  clockTrust?: ClockTrust;
}

export interface ClockTrust {
  unconfirmed(): ClockJump | null;
  confirm(at: number): void;
}

/** Logs a console action: no session, no step. */
export type ConsoleEvent = (type: EventType, details?: Record<string, string | number | boolean | null> | null) => void;

export interface Supervisor {
  handlers: SupervisorHandlers;
  gate: ConsoleGate;
}

function settingsView(settings: Settings, dataDir: string, fingerprint: string | null): SettingsView {
  return {
    stationName: settings.stationName,
    mode: settings.mode,
    language: settings.language,
    idleSeconds: settings.idleSeconds,
    preparePhoneIdleSeconds: settings.preparePhoneIdleSeconds,
    hasKeyboard: settings.hasKeyboard,
    allowedDomains: settings.allowedDomains,
    qrValiditySeconds: settings.qrValiditySeconds,
    issuer: settings.issuer,
    retentionDays: settings.retentionDays,
    maxPinAttempts: settings.maxPinAttempts,
    maxCodeAttempts: settings.maxCodeAttempts,
    helpAddress: settings.helpAddress,
    signInAddress: settings.signInAddress,
    supportAddress: settings.supportAddress,
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

export function createSupervisor(options: SupervisorOptions): Supervisor {
  const { log, clock, dataDir } = options;
  const gate = createConsoleGate(log, clock);
  // Until the first-run wizard has set a passphrase, the station shows only the wizard and the engine refuses `start`.
  if (!gate.isSetUp() && log.settings().status !== 'setup-required') log.writeSettings({ status: 'setup-required' });
  const event: ConsoleEvent = (type, details = null) => log.append({ sessionId: null, at: clock.now(), step: null, type, details });
  const roster = createRosterHandlers(log, clock, event, exportFolder(dataDir));
  const exports = createExportHandlers(log, clock, event, options);
  const stations = createStationHandlers(log, clock, event, dataDir, exports.exportRunning);
  const ownFingerprint = () => log.stations().find((s) => s.isSelf)?.fingerprint ?? null;
  /** The supervisor's purge while it runs, for Cancel. */
  let purge: RunningTask<PurgeCounts> | null = null;

  const methods: SupervisorHandlers = {
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

    pingConsole: async () => ({ idleSeconds: CONSOLE_IDLE_SECONDS }),

    async closeConsole({ idle }) {
      gate.close(idle ?? false);
      return {};
    },

    getDashboard: async ({ range, station }) => ({
      ...(await buildDashboard(log, range, clock.now(), dataDir, { figures: figuresFor(log, station ?? 'this'), station: station ?? 'this' })),
      shellLock: options.shellLock?.() ?? null,
    }),

    getSettings: async () => settingsView(log.settings(), dataDir, ownFingerprint()),

    updateSettings: async (changes) => {
      const next: Partial<EditableSettings> = { ...changes };
      if (changes.allowedDomains) {
        next.allowedDomains = [...new Set(changes.allowedDomains.map(normaliseDomain))];
      }
      log.transaction(() => {
        log.writeSettings(next);
        event('settings_changed', { keys: Object.keys(next).sort().join(',') });
      });
      return settingsView(log.settings(), dataDir, ownFingerprint());
    },

    importRoster: roster.importRoster,
    getRoster: roster.getRoster,
    browseRosterFiles: roster.browseRosterFiles,
    importRosterFile: roster.importRosterFile,

    getExportTargets: exports.getExportTargets,
    exportData: exports.exportData,
    getExportProgress: exports.getExportProgress,
    getReport: exports.getReport,

    purgeNow: async () => {
      if (purge) throw new KioskError('export_busy');
      // In a worker, in short steps: the kiosk's thread answers the agents meanwhile; Cancel keeps the steps done.
      purge = log.purge(clock.now(), 'supervisor');
      try {
        return await purge.answer;
      } finally {
        purge = null;
      }
    },
    getClockStatus: async () => ({ now: clock.now(), jump: options.clockTrust?.unconfirmed() ?? null }),
    confirmClock: async () => {
      options.clockTrust?.confirm(clock.now());
      return {};
    },

    unlockDevice: async ({ email }) => {
      const devices = log.transaction(() => {
        const n = log.deleteLockedDevices(normaliseEmail(email));
        if (n > 0) event('device_unlocked', { devices: n });
        return n;
      });
      return { devices };
    },

    eraseAgent: async ({ email }) => {
      // The store logs that an erasure happened, never whose: the log must not keep what was erased.
      const erased = log.eraseAgent(normaliseEmail(email), clock.now());
      if (!erased) throw new KioskError('agent_not_found');
      log.scrubFreedSpace();
      return { erased };
    },

    changePassphrase: async ({ current, next, nextConfirm }) => {
      try {
        await gate.changePassphrase(current, next, nextConfirm);
      } catch (error) {
        // Locked out while inside: whoever is at the keyboard may not be the supervisor.
        if (error instanceof KioskError && error.code === 'console_locked') gate.close();
        throw error;
      }
      return {};
    },

    getStations: stations.getStations,
    compareStations: stations.compareStations,
    verifyLog: stations.verifyLog,
    importBundles: stations.importBundles,
    getImportProgress: stations.getImportProgress,
    getVerifyProgress: stations.getVerifyProgress,
    approveBundle: stations.approveBundle,
    cancelTask: async (input) => {
      exports.cancelExport();
      purge?.cancel();
      return stations.cancelTask(input);
    },
    getTrustedStations: stations.getTrustedStations,

    exitKiosk: async () => {
      event('kiosk_exit');
      gate.close();
      // After the answer has left, not after a guessed delay: both doors hand this answer over in the microtasks that
      // follow this handler (ipcMain.handle's reply, the server's response.end), and an immediate runs after them.
      if (options.onExit) setImmediate(options.onExit);
      return {};
    },
  };

  return { handlers: behindTheGate(methods, gate), gate };
}

/**
 * Default deny: every supervisor method but the console's door (CONSOLE_DOOR_METHODS, in the contract) first asks the
 * gate, which refuses a closed or expired console before anything is read and pushes an open one's expiry back.
 */
function behindTheGate(methods: SupervisorHandlers, gate: ConsoleGate): SupervisorHandlers {
  return Object.fromEntries(
    SUPERVISOR_METHOD_NAMES.map((method) => {
      const handler = methods[method] as (input: unknown) => Promise<unknown>;
      if (CONSOLE_DOOR_METHODS.includes(method)) return [method, handler];
      return [
        method,
        (input: unknown) => {
          gate.touch();
          return handler(input);
        },
      ];
    }),
  ) as SupervisorHandlers;
}

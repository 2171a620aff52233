// The supervisor's contract methods: the first-run wizard and every console action, each refused unless the console is open.
import type { z } from 'zod';
import type { EventType } from '../../../shared/event-types';
import { KioskError } from '../../../shared/errors';
import { CODE_DIGITS } from '../../../shared/credential-lengths';
import { CONSOLE_IDLE_SECONDS, type SupervisorMethodName } from '../../../shared/supervisor-methods';
import type { EditableSettings, SettingsView, ShellLock, supervisorApi } from '../../../shared/supervisor-contract';
import type { Settings } from '../domain';
import type { Clock, ClockJump } from '../clock';
import { COMMON_PINS } from '../pin-blocklist';
import { normaliseDomain, normaliseEmail } from '../rules';
import { createConsoleGate, type ConsoleGate } from './console-gate';
import { buildDashboard } from './dashboard';
import { createExportHandlers } from './exports';
import type { SupervisorLog } from './ports';
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
  const roster = createRosterHandlers(log, clock, event);
  const exports = createExportHandlers(log, clock, event, options);
  const stations = createStationHandlers(log, clock, event, dataDir, exports.exportRunning);
  const ownFingerprint = () => log.stations().find((s) => s.isSelf)?.fingerprint ?? null;

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

    importRoster: guarded<'importRoster'>(roster.importRoster),
    getRoster: guarded<'getRoster'>(roster.getRoster),

    getExportTargets: guarded<'getExportTargets'>(exports.getExportTargets),
    exportData: guarded<'exportData'>(exports.exportData),
    getExportProgress: guarded<'getExportProgress'>(exports.getExportProgress),
    getReport: guarded<'getReport'>(exports.getReport),

    purgeNow: guarded<'purgeNow'>(async () => log.purge(clock.now(), 'supervisor')),
    getClockStatus: guarded<'getClockStatus'>(async () => ({ now: clock.now(), jump: options.clockTrust?.unconfirmed() ?? null })),
    confirmClock: guarded<'confirmClock'>(async () => {
      options.clockTrust?.confirm(clock.now());
      return {};
    }),

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

    getStations: guarded<'getStations'>(stations.getStations),
    compareStations: guarded<'compareStations'>(stations.compareStations),
    verifyLog: guarded<'verifyLog'>(stations.verifyLog),
    importBundles: guarded<'importBundles'>(stations.importBundles),
    getImportProgress: guarded<'getImportProgress'>(stations.getImportProgress),

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

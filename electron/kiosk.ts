// The composition root: opens the log in the data folder, picks the key store and clock, and builds the engine's handlers.
import { join } from 'node:path';
import type { KioskHandlers } from '../shared/contract';
import type { ShellLock } from '../shared/supervisor-contract';
import { systemClock, type Clock } from './engine/clock';
import { createEngine } from './engine/engine';
import type { RecapOutput } from './engine/ports';
import { IDENTITY_KEY_FILE_NAME, createKeyFileStore, type KeyStore } from './engine/key-store';
import { createSupervisor } from './engine/supervisor/handlers';
import { enforceRetention } from './engine/supervisor/retention';
import { guardStorage, outOfServiceHandlers, storageFailure } from './engine/out-of-service';
import { writeCheckpoint } from './store/checkpoints';
import { appendEvent } from './store/events';
import { openLog } from './store/open';
import { createEngineLog } from './store/port';
import { openStation } from './store/station';
import { createSupervisorLog } from './store/supervisor-log';

export interface KioskOptions {
  dataDir: string;
  keyStore?: KeyStore;
  /** Finds the shell's own key store (the OS keychain) when no keyStore is given; null falls back to the key file. */
  openKeyStore?: () => Promise<KeyStore | null>;
  /** Where the seed of the station's Ed25519 identity is kept: beside the station key (keychain or a 0600 file). */
  identityStore?: KeyStore;
  /** The shell's identity store, given the key store openKeyStore found (null: the identity key file). */
  openIdentityStore?: (shellKeyStore: KeyStore | null) => KeyStore | null;
  clock?: Clock;
  onInternalError?: (e: unknown) => void;
  /** The supervisor chose "exit the kiosk": the shell quits (called after the answer has gone out). */
  onExit?: () => void;
  /** Electron's printToPDF of the report page; without it the report is written as HTML only. */
  printToPdf?: (html: string) => Promise<Uint8Array>;
  /** Electron's printToPDF of the kiosk window itself: the agent's recap saved on a USB drive. */
  printKioskToPdf?: () => Promise<Uint8Array>;
  /** The whole recap output (printer, drives, writer) instead, for tests that fake the outside world. */
  recapOutput?: RecapOutput;
  /** What holds the kiosk window (the browser shell's lock), for the console's dashboard; absent in Electron, which holds its own. */
  shellLock?: () => ShellLock;
}

/** What a shell may add to the log about itself: no personal data, values only. */
export type ShellEventDetails = Record<string, string | number | boolean | null>;

export interface Kiosk {
  handlers: KioskHandlers;
  /**
   * Appends a shell event (renderer crash, hang, blocked request...) to the hash-chained log, outside any
   * session, so the supervisor's exports show it. Never throws: the shell must not fall over its own log.
   */
  recordShellEvent(type: string, details?: ShellEventDetails): void;
  close(): void;
}

export const LOG_FILE_NAME = 'kiosk.db';

/**
 * Opens the kiosk on `dataDir`: `kiosk.db` (created, migrated, recovered after a crash) and, unless
 * another is given, the station key in `station.key` (mode 0600); purges what the retention setting no
 * longer keeps, now and hourly until `close()`. Transports call
 * `dispatch(kiosk.handlers, method, input)`.
 */
export async function openKiosk(options: KioskOptions): Promise<Kiosk> {
  const clock = options.clock ?? systemClock;
  const shellKeyStore = options.keyStore ? null : ((await options.openKeyStore?.()) ?? null);
  const keyStore = options.keyStore ?? shellKeyStore ?? createKeyFileStore(options.dataDir);
  const identityStore =
    options.identityStore ??
    options.openIdentityStore?.(shellKeyStore) ??
    createKeyFileStore(options.dataDir, IDENTITY_KEY_FILE_NAME);
  // Fail at start rather than at the first enrolment if the key cannot be read or created.
  await keyStore.getKey();
  const seed = await identityStore.getKey();
  const { db, movedAside } = openLog(join(options.dataDir, LOG_FILE_NAME), () => clock.now());
  if (movedAside) options.onInternalError?.(new Error(`corrupt log moved aside to ${movedAside}; a new log was started`));
  let identity;
  try {
    identity = openStation(db, seed, clock.now());
  } catch (error) {
    db.close();
    throw error;
  }
  const supervisorLog = createSupervisorLog(db, identity);
  const print = options.printKioskToPdf;
  const recapOutput: RecapOutput | undefined =
    options.recapOutput ??
    (print ? { printPage: print, removableDrives: () => supervisorLog.removableDrives(), writeFile: supervisorLog.writeExportFile } : undefined);
  const supervisor = createSupervisor({
    log: supervisorLog,
    clock,
    dataDir: options.dataDir,
    onExit: options.onExit,
    printToPdf: options.printToPdf,
    shellLock: options.shellLock,
  });
  // PRODUCT.md: personal data older than the retention setting goes at start and every hour, not only on "purge now".
  const retention = enforceRetention((trigger) => supervisorLog.purge(clock.now(), trigger), clock, options.onInternalError);
  const engine = createEngine({
    log: createEngineLog(db, identity),
    keyStore,
    clock,
    onInternalError: options.onInternalError,
    ...(recapOutput ? { recapOutput } : {}),
  });
  const handlers: KioskHandlers = { ...engine.handlers, ...supervisor.handlers };
  return {
    // A full disk or a folder turned read-only mid-session answers out_of_service with its reason.
    handlers: guardStorage(handlers, (_reason, error) => options.onInternalError?.(error)),
    recordShellEvent: (type, details = {}) => {
      try {
        appendEvent(db, { sessionId: null, at: clock.now(), step: null, type: `shell_${type}`, details });
      } catch (error) {
        options.onInternalError?.(error);
      }
    },
    close: () => {
      retention.stop();
      engine.stop();
      // A log at rest ends on a checkpoint: whatever the last session left after its own is signed too.
      try {
        writeCheckpoint(db, identity, 'close', clock.now());
      } catch (error) {
        options.onInternalError?.(error);
      }
      db.close();
    },
  };
}

/**
 * What both shells open: the kiosk on its data folder or, if that fails, handlers that answer every
 * method out_of_service with the reason, so the page opens on the out-of-service screen, never blank.
 */
export async function openKioskOrOutOfService(options: KioskOptions, onFailure: (error: unknown) => void): Promise<Kiosk> {
  try {
    return await openKiosk(options);
  } catch (error) {
    onFailure(error);
    return { handlers: outOfServiceHandlers(storageFailure(error) ?? 'unknown'), recordShellEvent: () => {}, close: () => {} };
  }
}

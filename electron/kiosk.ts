// The composition root: opens the log in the data folder, picks the key store and clock, and builds the engine's handlers.
import { join } from 'node:path';
import type { KioskHandlers } from '../shared/contract';
import { METHOD_NAMES } from '../shared/methods';
import type { ShellLock } from '../shared/supervisor-contract';
import { DEFAULT_CLOCK_JUMP_FORWARD_MS, sessionClock, systemClock, watchClock, type Clock } from './engine/clock';
import { createEngine } from './engine/engine';
import type { RecapOutput } from './engine/ports';
import { IDENTITY_KEY_FILE_NAME, KEY_FILE_NAME, createKeyFileStore, keyCheckValue, type KeyStore } from './engine/key-store';
import { createSupervisor } from './engine/supervisor/handlers';
import { enforceRetention } from './engine/supervisor/retention';
import { guardStorage } from './engine/out-of-service';
import { KioskError, OutOfServiceError, type OutOfServiceReason } from '../shared/errors';
import { SAFE_STORAGE_KEY_FILE } from './safe-storage-key-store';
import { writeCheckpoint } from './store/checkpoints';
import {
  checkFileIdentity,
  fileIdentity,
  isNewDataFolder,
  lockDataFolder,
  readStationMarker,
  removeLeftovers,
  writeStationMarker,
  type FolderLock,
} from './store/data-folder';
import { appendEvent } from './store/events';
import { undoUnfinishedMerges } from './store/import';
import { fileSize, openLog } from './store/open';
import { storageFailure } from './store/storage-errors';
import { checkIntegrityInBackground } from './store/worker/tasks';
import { writeInternal } from './store/settings';
import { createEngineLog } from './store/port';
import { checkOwnLog, checkStationKey, clockJumpForwardMs, confirmClockTime, noteClockJump, openStation, unconfirmedClockJump } from './store/station';
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
  /** Who takes the data folder ("Electron kiosk", "browser shell"...), named to the next one that finds it held. */
  holder?: string;
  /**
   * A log at least this large (bytes) is opened without PRAGMA quick_check and checked in a worker while the kiosk
   * already answers (issue 21: a long campaign's log took seconds before the first answer). Default 64 MiB.
   */
  checkInBackgroundFrom?: number;
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
  // One station per data folder: taken first, so nothing below (leftovers, log, keys) is touched by two kiosks.
  const lock = lockDataFolder(options.dataDir, options.holder ?? 'a kiosk');
  try {
    return await openLockedKiosk(options, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function openLockedKiosk(options: KioskOptions, lock: FolderLock): Promise<Kiosk> {
  const clock = options.clock ?? systemClock;
  const { dataDir } = options;
  // A kill -9 or power cut during a bundle or import leaves scratch copies of the log: never kept.
  removeLeftovers(dataDir);
  const marker = readStationMarker(dataDir);
  // Only a folder that never held a station gets new keys, a new log and the first-run wizard.
  const isNew = isNewDataFolder(dataDir, LOG_FILE_NAME, [KEY_FILE_NAME, SAFE_STORAGE_KEY_FILE]);
  const shellKeyStore = options.keyStore ? null : ((await options.openKeyStore?.()) ?? null);
  const keyStore = options.keyStore ?? shellKeyStore ?? createKeyFileStore(dataDir);
  const identityStore =
    options.identityStore ?? options.openIdentityStore?.(shellKeyStore) ?? createKeyFileStore(dataDir, IDENTITY_KEY_FILE_NAME);
  if (!isNew && (await keyStore.has?.()) === false) throw new OutOfServiceError('key_missing', 'the station key is missing; a new one is never made for an existing station');
  // The identity key came after the log: an older station makes it once, but one whose marker exists had it.
  if (marker !== null && (await identityStore.has?.()) === false) throw new OutOfServiceError('key_missing', 'the station identity key is missing');
  // Fail at start rather than at the first enrolment if the key cannot be read or created.
  const key = await keyStore.getKey();
  const seed = await identityStore.getKey();
  const logPath = join(dataDir, LOG_FILE_NAME);
  const checkLater = !isNew && fileSize(logPath) >= (options.checkInBackgroundFrom ?? CHECK_IN_BACKGROUND_FROM);
  const { db, lastEventAt } = openLog(logPath, () => clock.now(), { create: isNew, checkNow: !checkLater });
  let identity;
  try {
    checkStationKey(db, keyCheckValue(key));
    checkOwnLog(db, seed, marker);
    identity = openStation(db, seed, clock.now());
    // A head killed while it merged a bundle: the steps merged are undone; importing the bundle again brings it all.
    undoUnfinishedMerges(db);
    if (marker !== identity.stationId) writeStationMarker(dataDir, identity.stationId);
  } catch (error) {
    db.close();
    throw error;
  }
  const opened = fileIdentity(logPath);
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
    clockTrust: { unconfirmed: () => unconfirmedClockJump(db), confirm: (at) => confirmClockTime(db, at) },
  });
  // PRODUCT.md: personal data older than the retention setting goes at start and every hour, not only on "purge now".
  // PRODUCT.md: a wrong clock is noticed, not obeyed. Checked now against the log's newest event, then on each call.
  const clockWatch = watchClock(clock, lastEventAt, () => clockJumpForwardMs(db, DEFAULT_CLOCK_JUMP_FORWARD_MS));
  const watchTheClock = () => {
    const jump = clockWatch.check();
    if (jump) noteClockJump(db, jump);
  };
  watchTheClock();
  const retention = enforceRetention(
    (trigger) => supervisorLog.purge(clock.now(), trigger).answer,
    clock,
    options.onInternalError,
    () => unconfirmedClockJump(db) !== null,
  );
  // Sessions run on the monotonic clock from the wall time they started at (engine/clock.ts sessionClock).
  const engineClock = sessionClock(clock);
  const engine = createEngine({
    log: createEngineLog(db, identity),
    keyStore,
    clock: engineClock,
    onInternalError: options.onInternalError,
    ...(recapOutput ? { recapOutput } : {}),
  });
  const handlers = watchingTheClock({ ...engine.handlers, ...supervisor.handlers }, watchTheClock, engineClock.reanchor, () => unconfirmedClockJump(db) !== null);
  const onFailure = (reason: OutOfServiceReason, error: unknown) => options.onInternalError?.(error);
  const integrity = checkLater ? integrityInBackground(logPath, options.onInternalError) : null;
  const watch = {
    // The log still the file opened (not deleted, renamed or replaced): stat is cheap beside a call's transaction.
    check: () => {
      if (integrity?.damaged()) throw new OutOfServiceError('log_corrupt', `${logPath}: PRAGMA quick_check found damage`);
      return checkFileIdentity(logPath, opened);
    },
    // A real commit, so "the cause is gone" means the log takes writes again, not that a read still works.
    probe: () => writeInternal(db, 'serviceProbe', clock.now()),
  };
  return {
    // A full disk, a folder turned read-only or a log gone mid-session answers out_of_service with its reason.
    handlers: guardStorage(handlers, { failureOf: storageFailure, watch }, { onFailure }),
    recordShellEvent: (type, details = {}) => {
      try {
        appendEvent(db, { sessionId: null, at: clock.now(), step: null, type: `shell_${type}`, details });
      } catch (error) {
        options.onInternalError?.(error);
      }
    },
    close: () => {
      integrity?.cancel();
      retention.stop();
      void supervisorLog.close();
      engine.stop();
      // A log at rest ends on a checkpoint: whatever the last session left after its own is signed too.
      try {
        writeCheckpoint(db, identity, 'close', clock.now());
      } catch (error) {
        options.onInternalError?.(error);
      }
      db.close();
      lock.release();
    },
  };
}

/** Below this size quick_check costs well under a second: the log is checked before the first answer. */
const CHECK_IN_BACKGROUND_FROM = 64 * 1024 * 1024;


/**
 * quick_check in a worker: `damaged()` turns true once it has found damage (each call then answers out of service,
 * log_corrupt). A worker that cannot run proves nothing either way: that is reported, and the station goes on.
 */
function integrityInBackground(logPath: string, onInternalError?: (error: unknown) => void): { damaged(): boolean; cancel(): void } {
  let damaged = false;
  const check = checkIntegrityInBackground(logPath);
  check.damaged.then(
    (found) => {
      damaged = found;
    },
    (error: unknown) => onInternalError?.(error),
  );
  return { damaged: () => damaged, cancel: check.cancel };
}

/** Where no session is open, a session's clock takes the wall clock again. */
const SESSION_OPENERS: readonly string[] = ['start', 'startPage'];

/** Refusals a wrong station clock explains better than a wrong phone: TOTP compares the two. */
const CLOCK_SENSITIVE: readonly string[] = ['code_wrong', 'clock_offset'];

/**
 * Checks the wall clock before each call (a jump is logged, never a refusal: agents go on, on the session
 * clock). While a jump is unconfirmed, a refused code says the station's clock is the likely cause, so the
 * agent asks the supervisor instead of doubting their phone.
 */
function watchingTheClock(handlers: KioskHandlers, check: () => void, reanchor: () => void, clockInDoubt: () => boolean): KioskHandlers {
  return Object.fromEntries(
    METHOD_NAMES.map((method) => {
      const handler = handlers[method] as (input: unknown) => Promise<unknown>;
      return [
        method,
        async (input: unknown) => {
          check();
          if (SESSION_OPENERS.includes(method)) reanchor();
          try {
            return await handler(input);
          } catch (error) {
            if (error instanceof KioskError && CLOCK_SENSITIVE.includes(error.code) && clockInDoubt()) {
              throw new KioskError(error.code, { ...error.params, stationClock: 'suspect' });
            }
            throw error;
          }
        },
      ];
    }),
  ) as unknown as KioskHandlers;
}

/** How often, at most, a station out of service for a passing cause tries to open again (each call may try). */
export const REOPEN_EVERY_MS = 2_000;

/**
 * What both shells open: the kiosk on its data folder or, if that fails, handlers that answer every
 * method out_of_service with the reason, so the page opens on the out-of-service screen, never blank.
 * The opening is tried again on the calls the out-of-service screen keeps making (every few seconds at most):
 * once the cause has gone (space freed, the other kiosk closed, the key or the log put back, `admin salvage`
 * run), the station comes back by itself. Each try checks everything again, so nothing is taken on trust.
 */
export async function openKioskOrOutOfService(options: KioskOptions, onFailure: (error: unknown) => void): Promise<Kiosk> {
  try {
    return await openKiosk(options);
  } catch (error) {
    onFailure(error);
    return reopening(options, onFailure, storageFailure(error) ?? 'unknown');
  }
}

function reopening(options: KioskOptions, onFailure: (error: unknown) => void, firstReason: OutOfServiceReason): Kiosk {
  const now = () => (options.clock ?? systemClock).now();
  let opened: Kiosk | null = null;
  let closed = false;
  let reason = firstReason;
  let triedAt = now();
  let trying: Promise<void> | null = null;

  async function tryOpen(): Promise<void> {
    triedAt = now();
    try {
      const kiosk = await openKiosk(options);
      if (closed) kiosk.close();
      else opened = kiosk;
    } catch (error) {
      const next = storageFailure(error) ?? 'unknown';
      if (next !== reason) onFailure(error);
      reason = next;
    }
  }

  const handlers = Object.fromEntries(
    METHOD_NAMES.map((method) => [
      method,
      async (input: unknown) => {
        if (!opened && !closed && now() - triedAt >= REOPEN_EVERY_MS) {
          trying ??= tryOpen().finally(() => {
            trying = null;
          });
        }
        if (trying) await trying;
        if (opened) return (opened.handlers[method] as (input: unknown) => Promise<unknown>)(input);
        throw new KioskError('out_of_service', { reason });
      },
    ]),
  ) as unknown as KioskHandlers;
  return {
    handlers,
    recordShellEvent: (type, details) => opened?.recordShellEvent(type, details),
    close: () => {
      closed = true;
      opened?.close();
    },
  };
}

// When the kiosk cannot keep its log: a named reason the supervisor can act on, refusals that carry it, and the way back.
import type { KioskHandlers } from '../../shared/contract';
import { errorCode, KioskError, OutOfServiceError, type OutOfServiceReason } from '../../shared/errors';
import { METHOD_NAMES } from '../../shared/methods';


/**
 * Which storage failure `error` is, or null when it is not one (a bug, which stays `internal`).
 * SQLite reports a full disk as SQLITE_FULL (and sometimes SQLITE_IOERR_WRITE); a read-only
 * folder as SQLITE_READONLY*, or SQLITE_CANTOPEN when the -wal/-shm files cannot be created.
 */
export function storageFailure(error: unknown): OutOfServiceReason | null {
  if (error instanceof OutOfServiceError) return error.reason;
  const code = errorCode(error);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EFBIG' || code.startsWith('SQLITE_IOERR_WRITE')) return 'disk_full';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || code === 'ENOTDIR') return 'data_folder_unwritable';
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') return 'log_corrupt';
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) return 'log_unreadable';
  return null;
}

/** Handlers that answer every method with `out_of_service` and the reason: what the shells serve when the kiosk cannot open. */
export function outOfServiceHandlers(reason: OutOfServiceReason): KioskHandlers {
  const refuse = (): Promise<never> => Promise.reject(new KioskError('out_of_service', { reason }));
  // Every name gets the same refusal, which fits any method's signature.
  return Object.fromEntries(METHOD_NAMES.map((method) => [method, refuse])) as unknown as KioskHandlers;
}

/** What the guard asks of the storage around the calls it lets through. */
export interface StorageWatch {
  /** Before each call: is the log still the file the kiosk opened? Throws an OutOfServiceError (or an fs error) when not. */
  check(): Promise<void>;
  /** While out of service: a real small write, proving the cause is gone. Throws while it is not. */
  probe(): void;
}

export interface GuardEvents {
  /** The station went out of service (logged by the shell). */
  onFailure?: (reason: OutOfServiceReason, error: unknown) => void;
  /** The cause went away: the station serves again. */
  onRecovered?: (reason: OutOfServiceReason) => void;
}

/**
 * Wraps the engine's handlers so a storage failure in the middle of a session (disk full, folder turned
 * read-only, the log deleted under the kiosk) reaches the renderer as `out_of_service` with its reason, not
 * as a bare `internal` or a silent success. Once out of service, every call is refused with the reason (a
 * read that would still work must not let the page believe the station is fine) until `watch` finds the
 * cause gone; each call made meanwhile (the out-of-service screen asks every few seconds) tries again.
 * Each call is one transaction in the log, so nothing half-written stays behind.
 */
export function guardStorage(
  handlers: KioskHandlers,
  events: GuardEvents | ((reason: OutOfServiceReason, error: unknown) => void) = {},
  watch: StorageWatch | null = null,
): KioskHandlers {
  const { onFailure = () => {}, onRecovered = () => {} } = typeof events === 'function' ? { onFailure: events } : events;
  let down: OutOfServiceReason | null = null;

  function fail(error: unknown): never {
    const reason = storageFailure(error);
    if (reason === null) throw error;
    if (down !== reason) onFailure(reason, error);
    down = reason;
    throw new KioskError('out_of_service', { reason });
  }

  async function ready(): Promise<void> {
    if (!watch) {
      // Without a watch, nothing can prove the cause gone but the next call itself.
      down = null;
      return;
    }
    try {
      await watch.check();
      if (down !== null) {
        watch.probe();
        onRecovered(down);
        down = null;
      }
    } catch (error) {
      fail(error);
    }
  }

  const guarded = Object.fromEntries(
    METHOD_NAMES.map((method) => {
      const handler = handlers[method] as (input: unknown) => Promise<unknown>;
      return [
        method,
        async (input: unknown) => {
          await ready();
          try {
            return await handler(input);
          } catch (error) {
            return fail(error);
          }
        },
      ];
    }),
  );
  return guarded as unknown as KioskHandlers;
}

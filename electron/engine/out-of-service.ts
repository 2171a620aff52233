// When the kiosk cannot keep its log: a reason the supervisor can act on, and handlers that refuse everything with it.
import type { KioskHandlers } from '../../shared/contract';
import { errorCode, KioskError, type OutOfServiceReason } from '../../shared/errors';
import { METHOD_NAMES } from '../../shared/methods';


/**
 * Which storage failure `error` is, or null when it is not one (a bug, which stays `internal`).
 * SQLite reports a full disk as SQLITE_FULL (and sometimes SQLITE_IOERR_WRITE); a read-only
 * folder as SQLITE_READONLY*, or SQLITE_CANTOPEN when the -wal/-shm files cannot be created.
 */
export function storageFailure(error: unknown): OutOfServiceReason | null {
  const code = errorCode(error);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EFBIG' || code.startsWith('SQLITE_IOERR_WRITE')) return 'disk_full';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || code === 'ENOTDIR') return 'data_folder_unwritable';
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return 'log_unreadable';
  }
  return null;
}

/** Handlers that answer every method with `out_of_service` and the reason: what the shells serve when the kiosk cannot open. */
export function outOfServiceHandlers(reason: OutOfServiceReason): KioskHandlers {
  const refuse = (): Promise<never> => Promise.reject(new KioskError('out_of_service', { reason }));
  // Every name gets the same refusal, which fits any method's signature.
  return Object.fromEntries(METHOD_NAMES.map((method) => [method, refuse])) as unknown as KioskHandlers;
}

/**
 * Wraps the engine's handlers so a storage failure in the middle of a session (disk full, folder
 * turned read-only) reaches the renderer as `out_of_service` with its reason, not as a bare
 * `internal`. Each call is one transaction in the log, so nothing half-written stays behind.
 */
export function guardStorage(handlers: KioskHandlers, onFailure: (reason: OutOfServiceReason, error: unknown) => void = () => {}): KioskHandlers {
  const guarded = Object.fromEntries(
    METHOD_NAMES.map((method) => {
      const handler = handlers[method] as (input: unknown) => Promise<unknown>;
      return [
        method,
        async (input: unknown) => {
          try {
            return await handler(input);
          } catch (error) {
            const reason = storageFailure(error);
            if (reason === null) throw error;
            onFailure(reason, error);
            throw new KioskError('out_of_service', { reason });
          }
        },
      ];
    }),
  );
  return guarded as unknown as KioskHandlers;
}

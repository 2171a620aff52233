// Which storage failure an error is: the store alone reads its driver's codes (SQLite's, the file system's) and names the reason.
import { errorCode, OutOfServiceError, type OutOfServiceReason } from '../../shared/errors';

/**
 * The out-of-service reason for `error`, or null when it is not a storage failure (a bug, which stays `internal`).
 * SQLite reports a full disk as SQLITE_FULL (and sometimes SQLITE_IOERR_WRITE); a read-only folder as
 * SQLITE_READONLY*, or SQLITE_CANTOPEN when the -wal/-shm files cannot be created. The file system's own codes
 * come from the files written beside the log (keys, exports, the lock). The engine's guard is handed this
 * function (engine/out-of-service.ts), so it never reads a driver's code itself.
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

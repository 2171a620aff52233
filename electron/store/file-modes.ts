// Who may read the kiosk's files: the data folder 0700, every file it writes 0600, whatever the umask or the folder.
import { chmodSync, closeSync, constants, mkdirSync, openSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { FolderAccess } from '../engine/supervisor/domain';
import { errorCode } from '../../shared/errors';

/** The log holds e-mails, device names and PIN hashes; the key decrypts every TOTP secret: the app's user alone. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_FOLDER_MODE = 0o700;

/** POSIX modes mean nothing on Windows (the per-user profile's ACL protects the folder there). */
const POSIX = process.platform !== 'win32';

function isMissing(error: unknown): boolean {
  return errorCode(error) === 'ENOENT';
}

/**
 * Creates `folder` (and missing parents) 0700. An existing folder keeps its mode: it may be one IT chose
 * (KIOSK_DATA_DIR); the supervisor is told when it is open to others (`folderAccess`).
 */
export function makePrivateFolder(folder: string): void {
  mkdirSync(folder, { recursive: true, mode: PRIVATE_FOLDER_MODE });
}

export async function makePrivateFolderAsync(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true, mode: PRIVATE_FOLDER_MODE });
}

/** Narrows an existing file to 0600 (one written by an older kiosk, or by hand); a missing one is no error. */
export function narrowFile(path: string): void {
  if (!POSIX) return;
  try {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, PRIVATE_FILE_MODE);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}

/**
 * Makes sure the SQLite file at `path` exists 0600 before SQLite opens it. SQLite creates the `-wal` and
 * `-shm` files itself with the database file's own mode (os_unix.c, findCreateFileMode): a 0600 database
 * gives 0600 companions. Creating the file here, with an explicit mode, leaves the process umask alone
 * (umask is process-wide: changing it around the open would race every other file the process writes).
 * Companions left by an older kiosk are narrowed too.
 */
export function preparePrivateDatabase(path: string): void {
  // O_CREAT without O_TRUNC: an existing log is opened and closed untouched.
  closeSync(openSync(path, constants.O_CREAT | constants.O_RDWR, PRIVATE_FILE_MODE));
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) narrowFile(file);
}

/** How open the data folder is, for the supervisor's warning; null on Windows or when it cannot be read. */
export function folderAccess(folder: string): FolderAccess | null {
  if (!POSIX) return null;
  try {
    const mode = statSync(folder).mode & 0o777;
    return { mode: mode.toString(8).padStart(3, '0'), openToOthers: (mode & 0o077) !== 0 };
  } catch {
    return null;
  }
}

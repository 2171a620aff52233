// The data folder as a whole: one kiosk at a time (its lock), the marker of a station that was set up, leftovers, the log's identity.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { errorCode, OutOfServiceError } from '../../shared/errors';
import { makePrivateFolder, PRIVATE_FILE_MODE } from './file-modes';

/** Holds the pid of the kiosk (or admin command) that has the folder: read by the next one to know whether it may. */
export const LOCK_FILE_NAME = 'kiosk.lock';
/** Written once the first run has made the station: from then on, a missing log or key is a fault, never a new station. */
export const STATION_MARKER_FILE_NAME = 'station.json';

/** Writes `text` to `path` 0600 through a fsynced file renamed into place: a power cut leaves the old file or the new one. */
function writeWhole(path: string, text: string): void {
  const partial = `${path}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(partial, 'wx', PRIVATE_FILE_MODE);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
}

/** What the lock file holds; only the pid is required (a lock written by hand or by an older kiosk may lack the rest). */
const lockText = z.unknown().optional().transform((v) => String(v ?? ''));
const LOCK_HOLDER = z.object({ pid: z.number(), host: lockText, holder: lockText, since: lockText });
type LockHolder = z.infer<typeof LOCK_HOLDER>;

/** The lock's holder, or null when there is no lock file, or one half-written by a process killed between open and write (nobody can be holding it). */
function readHolder(path: string): LockHolder | null {
  try {
    const parsed = LOCK_HOLDER.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Whether `pid` is a running process (EPERM: it runs, under another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

export interface FolderLock {
  /** Gives the folder up (only if the lock is still this one's). */
  release(): void;
}

/**
 * Takes the data folder for this process, or throws `data_folder_in_use` naming the holder. The lock file is
 * created exclusively (O_EXCL), so two starting kiosks cannot both win; one left by a process that is no longer
 * running (kill -9, a power cut) is stale and taken over. `holder` says who holds it ("browser shell", "admin
 * import") for the message the next one prints.
 */
export function lockDataFolder(dataDir: string, holder: string): FolderLock {
  makePrivateFolder(dataDir);
  const path = join(dataDir, LOCK_FILE_NAME);
  const mine: LockHolder = { pid: process.pid, host: hostname(), holder, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = openSync(path, 'wx', PRIVATE_FILE_MODE);
      try {
        writeSync(fd, JSON.stringify(mine));
      } finally {
        closeSync(fd);
      }
      return {
        release() {
          const current = readHolder(path);
          if (current?.pid === mine.pid && current.since === mine.since) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const current = readHolder(path);
    // The same host's live process holds it (this one included: two kiosks in one process are two writers too).
    if (current && current.host === mine.host && isAlive(current.pid)) {
      throw new OutOfServiceError('data_folder_in_use', `${dataDir} is held by ${current.holder || 'another kiosk'} (pid ${current.pid}) since ${current.since}`);
    }
    if (current && current.host !== mine.host && current.host !== '') {
      // A folder shared over the network with another machine: its pid means nothing here, so it is never taken over.
      throw new OutOfServiceError('data_folder_in_use', `${dataDir} is held by ${current.holder || 'a kiosk'} on ${current.host} (pid ${current.pid})`);
    }
    // Stale (its process is gone) or unreadable: moved aside by an atomic rename, then taken with O_EXCL again.
    // Two starts racing over one stale lock: the second rename may catch the first's fresh lock, which it then
    // sees alive and puts back (link fails if a third took the name meanwhile), so one of them wins.
    const aside = `${path}.${process.pid}-${randomBytes(6).toString('hex')}.stale`;
    try {
      renameSync(path, aside);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') continue;
      throw error;
    }
    const moved = readHolder(aside);
    if (moved && moved.host === mine.host && isAlive(moved.pid)) {
      try {
        linkSync(aside, path);
      } catch {
        // Someone else holds the name now; they are the winner either way.
      }
      unlinkSync(aside);
      throw new OutOfServiceError('data_folder_in_use', `${dataDir} is held by ${moved.holder || 'another kiosk'} (pid ${moved.pid})`);
    }
    unlinkSync(aside);
  }
  throw new OutOfServiceError('data_folder_in_use', `${dataDir}: could not take ${LOCK_FILE_NAME}`);
}

/** The station id recorded by the first run, or null when this folder never held a station (or predates the marker). */
export function readStationMarker(dataDir: string): string | null {
  try {
    const value: unknown = JSON.parse(readFileSync(join(dataDir, STATION_MARKER_FILE_NAME), 'utf8'));
    // null has no field to read: like a damaged marker below, it still says a station was here.
    if (value === null) return '';
    return typeof value === 'object' && 'stationId' in value && typeof value.stationId === 'string' ? value.stationId : null;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    // A marker that cannot be read still says a station was here: a foreign id will not match it.
    return '';
  }
}

export function writeStationMarker(dataDir: string, stationId: string): void {
  writeWhole(join(dataDir, STATION_MARKER_FILE_NAME), `${JSON.stringify({ stationId })}\n`);
}

/**
 * Whether the folder has never held a station: no marker, no log and none of `keyFiles`. Only then may the
 * kiosk create a log and keys and show the first-run wizard; "the database is empty" is no such proof, since a
 * lost or damaged log would make any passer-by the station's supervisor.
 */
export function isNewDataFolder(dataDir: string, logFileName: string, keyFiles: readonly string[]): boolean {
  return [STATION_MARKER_FILE_NAME, logFileName, ...keyFiles].every((name) => !existsSync(join(dataDir, name)));
}

/**
 * Files an interrupted bundle, import or key write leaves in the data folder (a kill -9, a power cut): scratch
 * databases that may hold the unscrubbed log, and their journals. Only the kiosk's own scratch names, which
 * never hold anything to keep; removed at start, once the folder's lock is held (no other kiosk is using them).
 */
const LEFTOVER = /^(\.bundle-[0-9a-f]+\.db|\.import-[0-9a-f]+\.db)(-journal|-wal|-shm)?$|\.\d+-[0-9a-f]+\.(tmp|stale)$|\.\d+\.tmp$/;

export function removeLeftovers(dataDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw error;
  }
  const removed = names.filter((name) => LEFTOVER.test(name));
  for (const name of removed) rmSync(join(dataDir, name), { force: true });
  return removed;
}

/** What makes a file the same file: the device and inode (a copy put back, or a new file under the name, has others). */
export interface FileIdentity {
  dev: number;
  ino: number;
}

export function fileIdentity(path: string): FileIdentity {
  const { dev, ino } = statSync(path);
  return { dev, ino };
}

/**
 * Throws `log_replaced` when the file at `path` is no longer the one the kiosk opened (deleted, renamed away,
 * or another file put in its place): SQLite would go on writing into the open but unlinked file and report
 * success, and the next start would find no log, or another one.
 */
export async function checkFileIdentity(path: string, opened: FileIdentity): Promise<void> {
  let now: FileIdentity;
  try {
    now = await stat(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') throw new OutOfServiceError('log_replaced', `${path} was deleted under the running kiosk`);
    throw error;
  }
  if (now.dev !== opened.dev || now.ino !== opened.ino) throw new OutOfServiceError('log_replaced', `${path} was replaced under the running kiosk`);
}

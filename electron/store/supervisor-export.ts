// Exports for the supervisor into a folder (a USB stick): the log's streamed CSVs with progress, the roster CSV, the report; CSVs in the console's language (csv-labels.ts).
import { constants, createWriteStream } from 'node:fs';
import { access, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Database from 'better-sqlite3';
import type { CsvFormat } from '../engine/supervisor/csv-labels';
import type { TableExportKind } from '../engine/supervisor/domain';
import type { RosterStatus } from '../../shared/supervisor-contract';
import { csvCell, exportCsv } from './export';
import { makePrivateFolderAsync, PRIVATE_FILE_MODE } from './file-modes';
import { sql } from './statements';
import { rosterProgress } from './supervisor-queries';

export function rosterStatus(row: { registered: boolean; tested: boolean }): RosterStatus {
  if (row.tested) return 'sign-in-tested';
  return row.registered ? 'device-registered' : 'not-started';
}

const SESSIONS_COUNT = sql<[], number>('SELECT count(*) FROM sessions');
const EVENTS_COUNT = sql<[], number>('SELECT count(*) FROM events');

/** Counts the CSV lines going through (the export writes whole lines, one per row), for the progress bar. */
function lineCounter(onLines: (lines: number) => void): Transform {
  let lines = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
      onLines(lines);
      done(null, chunk);
    },
  });
}

/** The name a file is written under until it is whole: never a name an export's reader would open (.csv, .pdf…). */
export const partialName = (file: string) => `${file}.part`;

/**
 * The files an export interrupted by a crash or a pulled stick left half written: this station's export names
 * (kiosk-…, rapport-…, poste-…) under their partial suffix (.part here, .partial for a bundle, store/bundle.ts).
 */
const LEFTOVER = /^(kiosk-|rapport-|poste-).*\.(part|partial)$/;

/** Removes the leftovers of interrupted exports from `folder` (one export runs at a time: none is being written). */
export async function removeLeftovers(folder: string): Promise<string[]> {
  const names = (await readdir(folder)).filter((name) => LEFTOVER.test(name));
  await Promise.all(names.map((name) => rm(join(folder, name), { force: true })));
  return names;
}

/**
 * Writes one table as CSV into `file`, reporting rows as they go. Sessions and events go through the
 * log's streaming export (its own read-only connection, paged, with backpressure); the roster's
 * progress is small and read at once. Written to a temporary name and renamed at the end: a pulled
 * USB stick leaves no half file that looks complete, and a failure or a cancel (`isCancelled`, read
 * between pages) removes the partial file.
 */
export async function exportTableCsv(
  db: Database.Database,
  kind: TableExportKind,
  file: string,
  onProgress: (rows: number, total: number) => void,
  format: CsvFormat,
  isCancelled: () => boolean = () => false,
): Promise<number> {
  const partial = partialName(file);
  try {
    if (kind === 'roster') {
      const progress = rosterProgress(db);
      const line = (cells: readonly string[]) => `${cells.map(csvCell).join(format.separator)}\r\n`;
      const body = progress.map((r) => line([r.email, r.name, r.service, format.status[rosterStatus(r)]])).join('');
      await writeFile(partial, `\uFEFF${line(format.headers.roster)}${body}`, { flag: 'wx', mode: PRIVATE_FILE_MODE });
      onProgress(progress.length, progress.length);
      await rename(partial, file);
      return progress.length;
    }
    const total = (kind === 'sessions' ? SESSIONS_COUNT : EVENTS_COUNT).on(db).pluck().get() ?? 0;
    onProgress(0, total);
    // The header is a line too: rows are the lines after it.
    const counter = lineCounter((lines) => onProgress(Math.max(0, lines - 1), Math.max(total, lines - 1)));
    const written = pipeline(counter, createWriteStream(partial, { flags: 'wx', mode: PRIVATE_FILE_MODE }));
    let rows: number;
    try {
      rows = await exportCsv(db.name, kind, counter, format, isCancelled);
      counter.end();
    } catch (error) {
      // Unblocks the file stream so the catch below can remove the partial file.
      counter.destroy(error instanceof Error ? error : new Error(String(error)));
      await written.catch(() => undefined);
      throw error;
    }
    await written;
    await rename(partial, file);
    return rows;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/**
 * Writes a small file whole (the report), through a temporary name like the CSVs. A partial file left by an
 * earlier attempt is removed first, so the new one is created with the private mode (a mode only applies at
 * creation; chmod on a FAT stick fails).
 */
export async function writeExportFile(file: string, content: string | Uint8Array): Promise<void> {
  const partial = partialName(file);
  await rm(partial, { force: true });
  try {
    await writeFile(partial, content, { flag: 'wx', mode: PRIVATE_FILE_MODE });
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/**
 * Checks the folder the supervisor typed: absolute, a directory, writable. The default folder
 * (inside the data folder) is created on first use; any other must already exist, so a typo
 * does not silently create a folder nobody will look in. What an interrupted export left there
 * half written is removed, so that only whole exports remain beside the new one.
 */
export async function prepareExportFolder(folder: string, defaultFolder: string): Promise<boolean> {
  if (!isAbsolute(folder)) return false;
  try {
    if (folder === defaultFolder) await makePrivateFolderAsync(folder);
    if (!(await stat(folder)).isDirectory()) return false;
    await access(folder, constants.W_OK);
    await removeLeftovers(folder);
    return true;
  } catch {
    return false;
  }
}

async function subfolders(parent: string): Promise<string[]> {
  try {
    const entries = await readdir(parent, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => join(parent, e.name));
  } catch {
    return [];
  }
}

/**
 * Removable drives mounted now on Linux: udisks mounts them at /run/media/<user>/<label> (Fedora,
 * RHEL) or /media/<user>/<label> (Debian, Ubuntu); older or hand-made setups at /media/<label>.
 */
export async function removableDrives(user: string, root = ''): Promise<{ label: string; path: string }[]> {
  const perUser = [...(await subfolders(join(root, '/run/media', user))), ...(await subfolders(join(root, '/media', user)))];
  const direct = (await subfolders(join(root, '/media'))).filter((p) => !p.endsWith(`/${user}`));
  return [...perUser, ...direct].map((path) => ({ label: path.slice(path.lastIndexOf('/') + 1), path }));
}

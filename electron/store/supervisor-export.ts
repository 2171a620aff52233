// Exports for the supervisor: CSV files streamed page by page into a folder (a USB stick), and the report file.
import { constants } from 'node:fs';
import { access, mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type Database from 'better-sqlite3';
import { STEP_IDS } from '../../shared/steps';
import { statement } from './statements';
import { rosterProgress } from './supervisor-queries';

export type TableExportKind = 'sessions' | 'events' | 'roster';

/** Rows per page: small enough that the kiosk keeps answering between pages of a long export. */
const PAGE = 500;

/** Formula injection: a spreadsheet runs a cell starting with = + - @ (OWASP CSV injection); a quote disarms it. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[;",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** ';' and a BOM: what a French Excel opens directly with its accents intact. */
export const CSV_SEPARATOR = ';';
const BOM = '\uFEFF';

function csvLine(cells: readonly (string | number | boolean | null)[]): string {
  return `${cells.map(csvCell).join(CSV_SEPARATOR)}\r\n`;
}

/** Local time with its offset: unambiguous, and what the supervisor's watch says. */
export function localIso(ms: number | null): string | null {
  if (ms === null) return null;
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:` +
    `${pad(d.getSeconds())}${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
  );
}

const SESSIONS_PAGE = `SELECT id, station, mode, started_at, ended_at, duration_ms, outcome, furthest_step, sign_in_method
  FROM sessions WHERE id > ? ORDER BY id LIMIT ?`;
const EVENTS_PAGE = `SELECT id, session_id, at, step, type, code, details, prev_hash FROM events WHERE id > ? ORDER BY id LIMIT ?`;
const SESSIONS_COUNT = 'SELECT count(*) AS n FROM sessions';
const EVENTS_COUNT = 'SELECT count(*) AS n FROM events';

export const SESSIONS_HEADER = [
  'id',
  'station',
  'mode',
  'started_at',
  'ended_at',
  'duration_s',
  'outcome',
  'furthest_step',
  'sign_in_method',
];
export const EVENTS_HEADER = ['id', 'session_id', 'at', 'step', 'type', 'code', 'details', 'prev_hash'];
export const ROSTER_HEADER = ['email', 'name', 'service', 'status'];

interface SessionExportRow {
  id: number;
  station: string;
  mode: string;
  started_at: number;
  ended_at: number | null;
  duration_ms: number | null;
  outcome: string | null;
  furthest_step: number;
  sign_in_method: string | null;
}

interface EventExportRow {
  id: number;
  session_id: number | null;
  at: number;
  step: string | null;
  type: string;
  code: string | null;
  details: string | null;
  prev_hash: Buffer;
}

/** One page of CSV lines after `afterId`, and the last id read (the next page starts after it). */
function page(db: Database.Database, kind: 'sessions' | 'events', afterId: number): { lines: string[]; lastId: number } {
  if (kind === 'sessions') {
    const rows = statement(db, SESSIONS_PAGE).all(afterId, PAGE) as SessionExportRow[];
    const lines = rows.map((r) =>
      csvLine([
        r.id,
        r.station,
        r.mode,
        localIso(r.started_at),
        localIso(r.ended_at),
        r.duration_ms === null ? null : Math.round(r.duration_ms / 1000),
        r.outcome,
        STEP_IDS[r.furthest_step] ?? String(r.furthest_step),
        r.sign_in_method,
      ]),
    );
    return { lines, lastId: rows.at(-1)?.id ?? afterId };
  }
  const rows = statement(db, EVENTS_PAGE).all(afterId, PAGE) as EventExportRow[];
  const lines = rows.map((r) =>
    csvLine([r.id, r.session_id, localIso(r.at), r.step, r.type, r.code, r.details, r.prev_hash.toString('hex')]),
  );
  return { lines, lastId: rows.at(-1)?.id ?? afterId };
}

export function rosterStatus(row: { registered: boolean; tested: boolean }): string {
  if (row.tested) return 'sign-in-tested';
  return row.registered ? 'device-registered' : 'not-started';
}

/** Waits for the event loop to go round once, so calls from the screen are answered mid-export. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Writes one table as CSV into `file`, page by page through the main connection (an open iterator
 * would hold the connection busy across the pauses), calling `onProgress` after each page.
 * Written to a temporary name and renamed at the end: a pulled USB stick leaves no half file
 * that looks complete.
 */
export async function exportTableCsv(
  db: Database.Database,
  kind: TableExportKind,
  file: string,
  onProgress: (rows: number, total: number) => void,
): Promise<number> {
  const partial = `${file}.part`;
  const handle = await open(partial, 'wx');
  let rows = 0;
  try {
    if (kind === 'roster') {
      const progress = rosterProgress(db);
      const body = progress.map((r) => csvLine([r.email, r.name, r.service, rosterStatus(r)])).join('');
      await handle.write(BOM + csvLine(ROSTER_HEADER) + body);
      rows = progress.length;
      onProgress(rows, rows);
    } else {
      const total = (statement(db, kind === 'sessions' ? SESSIONS_COUNT : EVENTS_COUNT).get() as { n: number }).n;
      await handle.write(BOM + csvLine(kind === 'sessions' ? SESSIONS_HEADER : EVENTS_HEADER));
      onProgress(0, total);
      let afterId = 0;
      for (;;) {
        const { lines, lastId } = page(db, kind, afterId);
        if (lines.length === 0) break;
        await handle.write(lines.join(''));
        rows += lines.length;
        afterId = lastId;
        onProgress(rows, Math.max(total, rows));
        await yieldToLoop();
      }
    }
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(partial, { force: true });
    throw error;
  }
  await handle.close();
  await rename(partial, file);
  return rows;
}

/** Writes a small file whole (the report), through a temporary name like the CSVs. */
export async function writeExportFile(file: string, content: string | Uint8Array): Promise<void> {
  const partial = `${file}.part`;
  await writeFile(partial, content, { flag: 'w' });
  await rename(partial, file);
}

/**
 * Checks the folder the supervisor typed: absolute, a directory, writable. The default folder
 * (inside the data folder) is created on first use; any other must already exist, so a typo
 * does not silently create a folder nobody will look in.
 */
export async function prepareExportFolder(folder: string, defaultFolder: string): Promise<boolean> {
  if (!isAbsolute(folder)) return false;
  try {
    if (folder === defaultFolder) await mkdir(folder, { recursive: true });
    if (!(await stat(folder)).isDirectory()) return false;
    await access(folder, constants.W_OK);
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

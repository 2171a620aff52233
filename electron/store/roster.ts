// The roster of agents expected on an enrolment day: imported by the supervisor (read from a drive), matched at identify.
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';
import type Database from 'better-sqlite3';
import type { RosterEntry } from '../engine/supervisor/domain';
import type { FolderListing } from '../engine/supervisor/ports';
import { sql } from './statements';

interface RosterRow {
  email: string;
  name: string;
  service: string;
  imported_at: number;
}

export function rowToRosterEntry(row: RosterRow): RosterEntry {
  return { email: row.email, name: row.name, service: row.service, importedAt: row.imported_at };
}

const HAS_ANY = sql('SELECT 1 FROM roster LIMIT 1');
const FIND = sql<[email: string], RosterRow>('SELECT * FROM roster WHERE email = ?');
const CLEAR = sql('DELETE FROM roster');
const INSERT = sql<[email: string, name: string, service: string, importedAt: number]>(`INSERT INTO roster (email, name, service, imported_at) VALUES (?, ?, ?, ?)
  ON CONFLICT (email) DO UPDATE SET name = excluded.name, service = excluded.service, imported_at = excluded.imported_at`);

export function rosterIsLoaded(db: Database.Database): boolean {
  return HAS_ANY.on(db).get() !== undefined;
}

export function findRosterEntry(db: Database.Database, email: string): RosterEntry | null {
  const row = FIND.on(db).get(email);
  return row ? rowToRosterEntry(row) : null;
}

/** Replaces the roster in one transaction: a failed import leaves the previous one whole. */
export function replaceRoster(db: Database.Database, entries: readonly RosterEntry[]): void {
  db.transaction(() => {
    CLEAR.on(db).run();
    for (const e of entries) INSERT.on(db).run(e.email.toLowerCase(), e.name, e.service, e.importedAt);
  }).immediate();
}

/**
 * `path` with its links and `..` resolved, if it lies within one of `roots` (resolved too): a name on a drive
 * cannot reach outside it, whatever the page sends. null when it does not, or does not exist.
 */
async function withinRoots(path: string, roots: readonly string[]): Promise<string | null> {
  if (!isAbsolute(path)) return null;
  try {
    const real = await realpath(path);
    for (const root of roots) {
      const realRoot = await realpath(root).catch(() => null);
      if (realRoot !== null && (real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep))) return real;
    }
  } catch {
    return null;
  }
  return null;
}

/** The sub-folders and CSV files of `folder` (hidden ones left out), sorted by name, if it lies within `roots`. */
export async function browseWithin(folder: string, roots: readonly string[]): Promise<FolderListing | null> {
  const real = await withinRoots(folder, roots);
  if (real === null) return null;
  const entries = await readdir(real, { withFileTypes: true }).catch(() => null);
  if (entries === null) return null;
  const visible = entries.filter((e) => !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
  const folders = visible.filter((e) => e.isDirectory()).map((e) => ({ name: e.name, path: join(folder, e.name) }));
  const files: FolderListing['files'] = [];
  for (const e of visible.filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.csv'))) {
    const path = join(folder, e.name);
    const info = await stat(path).catch(() => null);
    if (info) files.push({ name: e.name, path, bytes: info.size });
  }
  return { folders, files };
}

/** The bytes of a roster file within `roots`, if it is a regular file of at most `maxBytes`. */
export async function readFileWithin(file: string, roots: readonly string[], maxBytes: number): Promise<Buffer | null> {
  const real = await withinRoots(file, roots);
  if (real === null) return null;
  const info = await stat(real).catch(() => null);
  if (!info?.isFile() || info.size > maxBytes) return null;
  return readFile(real);
}

// Reads what SQLite can still read of a damaged log (one kept aside as kiosk.db.corrupt-*) into a new log, table by table, row by row.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { preparePrivateDatabase } from './file-modes';
import { migrate } from './migrate';
import { applyWritePragmas } from './open';

export interface SalvagedTable {
  table: string;
  /** Rows copied into the new log. */
  rows: number;
  /** Ranges of rowids SQLite could not read (a damaged page), skipped. */
  unreadable: number;
}

export interface Salvage {
  tables: SalvagedTable[];
  /** The tables SQLite could not even list (a damaged schema page): nothing of them could be read. */
  schemaReadable: boolean;
}

/** Rows read per query: a damaged page then costs the rows of one batch at most, retried one by one. */
const BATCH = 500;
/** A rowid gap beyond which a damaged region is given up (the table's end is not known when its pages are damaged). */
const MAX_SKIP = 1 << 20;

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function columnsOf(db: Database.Database, table: string): string[] {
  return db.prepare<[table: string], { name: string }>(`SELECT name FROM pragma_table_info(?)`).all(table).map((c) => c.name);
}

/**
 * Copies every row SQLite can read of `fromPath` (opened read-only, never changed) into a new log at `toPath`,
 * created 0600 at the current schema. Rows are read in rowid order (a row of the new log's defaults, such as a setting, gives way to the salvaged one); where a page is damaged the reading skips
 * ahead, doubling the step until it reads again. Only the columns both schemas share are copied; the hash chain
 * is copied as it is, so `verify` on the result says exactly which links the damage broke.
 */
export function salvageLog(fromPath: string, toPath: string): Salvage {
  if (existsSync(toPath)) throw new Error(`${toPath} exists already; salvage writes a new file only`);
  const from = new Database(fromPath, { readonly: true, fileMustExist: true });
  preparePrivateDatabase(toPath);
  const to = new Database(toPath);
  try {
    applyWritePragmas(to);
    migrate(to);
    let tables: string[];
    try {
      tables = from
        .prepare<[type: string], { name: string }>("SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%'")
        .all('table')
        .map((t) => t.name);
    } catch {
      return { tables: [], schemaReadable: false };
    }
    const target = new Set(to.prepare<[type: string], { name: string }>('SELECT name FROM sqlite_master WHERE type = ?').all('table').map((t) => t.name));
    const salvaged: SalvagedTable[] = [];
    // The new log's append-only triggers refuse nothing here (rows are inserted), and its foreign keys would refuse
    // a row whose parent was on a damaged page: what is readable is kept, the gaps are for verify to show.
    to.pragma('foreign_keys = OFF');
    for (const table of tables.filter((t) => target.has(t))) salvaged.push(copyTable(from, to, table));
    to.pragma('foreign_keys = ON');
    return { tables: salvaged, schemaReadable: true };
  } finally {
    from.close();
    to.close();
  }
}

function copyTable(from: Database.Database, to: Database.Database, table: string): SalvagedTable {
  let shared: string[];
  try {
    const theirs = new Set(columnsOf(from, table));
    shared = columnsOf(to, table).filter((c) => theirs.has(c));
  } catch {
    return { table, rows: 0, unreadable: 1 };
  }
  const list = shared.map(quoted).join(', ');
  const write = to.prepare(`INSERT OR REPLACE INTO ${quoted(table)} (${list}) VALUES (${shared.map(() => '?').join(', ')})`);
  const withoutRowid = Boolean(from.prepare<[table: string], { wr: number }>('SELECT wr FROM pragma_table_list WHERE name = ?').get(table)?.wr);
  // A small keyed table (the settings) has no rowid to step over a damaged page with: read whole or not at all.
  if (withoutRowid) return copyWhole(from, table, list, shared, write);
  const read = from.prepare<[after: number, limit: number], Record<string, unknown>>(`SELECT rowid AS salvage_rowid, ${list} FROM ${quoted(table)} WHERE rowid > ? ORDER BY rowid LIMIT ?`);
  // Rowids are 64-bit; the smallest a JavaScript number holds exactly is far below any the kiosk writes.
  let after = Number.MIN_SAFE_INTEGER;
  let rows = 0;
  let unreadable = 0;
  let skip = 1;
  let limit = BATCH;
  for (;;) {
    let batch: Record<string, unknown>[];
    try {
      batch = read.all(after, limit);
    } catch {
      // A damaged page in this batch: read row by row up to it, then step over it, further each time, until a
      // read succeeds again or the gap is hopeless.
      if (limit > 1) {
        limit = 1;
        continue;
      }
      if (skip > MAX_SKIP) break;
      unreadable += 1;
      after = Math.max(after, 0) + skip;
      skip *= 2;
      continue;
    }
    if (batch.length === 0) break;
    if (skip > 1) limit = BATCH;
    skip = 1;
    to.transaction(() => {
      for (const row of batch) rows += write.run(...shared.map((c) => row[c])).changes;
    }).immediate();
    after = Number(batch[batch.length - 1]?.salvage_rowid);
  }
  return { table, rows, unreadable };
}

function copyWhole(from: Database.Database, table: string, list: string, shared: string[], write: Database.Statement): SalvagedTable {
  let rows: Record<string, unknown>[];
  try {
    rows = from.prepare<[], Record<string, unknown>>(`SELECT ${list} FROM ${quoted(table)}`).all();
  } catch {
    return { table, rows: 0, unreadable: 1 };
  }
  let copied = 0;
  for (const row of rows) copied += write.run(...shared.map((c) => row[c])).changes;
  return { table, rows: copied, unreadable: 0 };
}

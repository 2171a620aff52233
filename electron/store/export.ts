// CSV export of sessions and events, streamed from its own read-only connection with backpressure and in bounded slices.
import type { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { STEP_IDS } from '../../shared/steps';

export type ExportKind = 'sessions' | 'events';

/** A spreadsheet runs a cell starting with = + - @ (OWASP "CSV injection"): a leading quote disarms it. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function line(cells: readonly (string | number | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

interface Source {
  header: string[];
  sql: string;
  toCells(row: Record<string, unknown>): (string | number | null)[];
}

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const num = (v: unknown) => (typeof v === 'number' ? v : null);

const SOURCES: Record<ExportKind, Source> = {
  sessions: {
    header: ['id', 'station', 'mode', 'started_at', 'ended_at', 'duration_s', 'outcome', 'furthest_step', 'sign_in_method'],
    sql: `SELECT id, station, mode, started_at, ended_at, duration_ms, outcome, furthest_step, sign_in_method
      FROM sessions ORDER BY id`,
    toCells: (r) => [
      num(r.id),
      str(r.station),
      str(r.mode),
      iso(num(r.started_at)),
      iso(num(r.ended_at)),
      r.duration_ms === null ? null : Math.round((num(r.duration_ms) ?? 0) / 1000),
      str(r.outcome),
      STEP_IDS[num(r.furthest_step) ?? 0] ?? null,
      str(r.sign_in_method),
    ],
  },
  events: {
    header: ['id', 'session_id', 'at', 'step', 'type', 'code', 'details', 'prev_hash'],
    sql: 'SELECT id, session_id, at, step, type, code, details, prev_hash FROM events ORDER BY id',
    toCells: (r) => [
      num(r.id),
      num(r.session_id),
      iso(num(r.at)),
      str(r.step),
      str(r.type),
      str(r.code),
      str(r.details),
      Buffer.isBuffer(r.prev_hash) ? r.prev_hash.toString('hex') : null,
    ],
  },
};

/** Rows written per slice before yielding to the event loop: a slice of a few ms keeps the kiosk responsive. */
const SLICE_ROWS = 2000;

function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      out.off('error', onError);
      resolve();
    };
    const onError = (error: Error) => {
      out.off('drain', onDrain);
      reject(error);
    };
    out.once('drain', onDrain);
    out.once('error', onError);
  });
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Writes `kind` as CSV to `out` and returns the row count. Reads on a connection of its own, read-only:
 * an `iterate()` in progress makes its connection refuse every other statement, so the kiosk's own
 * connection keeps appending (WAL lets a reader and a writer work at once, and the reader sees one
 * consistent snapshot). Waits for `drain` when `out` is full and yields between slices, so memory stays
 * flat and the main process never stalls on it.
 */
export async function exportCsv(dbPath: string, kind: ExportKind, out: Writable): Promise<number> {
  const source = SOURCES[kind];
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  let rows = 0;
  try {
    if (!out.write(`\uFEFF${line(source.header)}`)) await drained(out);
    const iterator = db.prepare(source.sql).iterate() as IterableIterator<Record<string, unknown>>;
    let chunk = '';
    for (const row of iterator) {
      chunk += line(source.toCells(row));
      rows += 1;
      if (rows % SLICE_ROWS === 0) {
        const full = !out.write(chunk);
        chunk = '';
        if (full) await drained(out);
        else await yieldToLoop();
      }
    }
    if (chunk && !out.write(chunk)) await drained(out);
    return rows;
  } finally {
    db.close();
  }
}

// CSV export of sessions and events (in the console's language when given its format), streamed from its own read-only connection with backpressure and in bounded slices.
import type { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { KioskError } from '../../shared/errors';
import { STEP_IDS } from '../../shared/steps';
import type { CsvFormat } from '../engine/supervisor/csv-labels';

export type ExportKind = 'sessions' | 'events';

const NEEDS_CARE = /[",;\r\n]|^[=+\-@\t\r]/;
const FORMULA_START = /^[=+\-@\t\r]/;
/** Both separators are quoted, so a cell reads the same in a `,` file and a `;` file. */
const NEEDS_QUOTES = /[",;\r\n]/;

/** A spreadsheet runs a cell starting with = + - @ (OWASP "CSV injection"): a leading quote disarms it. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  // Fast path: most cells (ids, step ids, types, codes) need nothing.
  if (!NEEDS_CARE.test(value)) return value;
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
let cachedDay = Number.NaN;
let cachedPrefix = '';

/**
 * toISOString's output (UTC, ms), built from a cached date part and arithmetic: Date formatting costs
 * more than reading the row, and a log's rows share their day with thousands of neighbours.
 */
export function isoUtc(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  let rest = ms - day * 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const sec = Math.floor(rest / 1000);
  const milli = rest - sec * 1000;
  const mmm = milli < 10 ? `00${milli}` : milli < 100 ? `0${milli}` : String(milli);
  return `${cachedPrefix}${TWO_DIGITS[h] ?? ''}:${TWO_DIGITS[m] ?? ''}:${TWO_DIGITS[sec] ?? ''}.${mmm}Z`;
}

const TIME_UTC = (ms: unknown) => (typeof ms === 'number' && Number.isInteger(ms) && ms >= 0 ? isoUtc(ms) : '');
const cell = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? csvCell(v) : '');

let cachedQuarter = Number.NaN;
let cachedOffset = '';
let cachedOffsetMs = 0;

/**
 * The station's local time with its offset, ISO 8601 (`2026-11-25T13:00:00.000+01:00`): what the clock on the wall
 * said, and unambiguous across a change of summer time. The offset is read once per quarter hour (zones change
 * offset on a quarter-hour boundary at the finest), the rest by isoUtc's arithmetic.
 */
export function isoLocal(ms: number): string {
  const quarter = Math.floor(ms / 900_000);
  if (quarter !== cachedQuarter) {
    cachedQuarter = quarter;
    const minutes = -new Date(ms).getTimezoneOffset();
    const abs = Math.abs(minutes);
    cachedOffsetMs = minutes * 60_000;
    cachedOffset = `${minutes < 0 ? '-' : '+'}${TWO_DIGITS[Math.floor(abs / 60)] ?? ''}:${TWO_DIGITS[abs % 60] ?? ''}`;
  }
  return `${isoUtc(ms + cachedOffsetMs).slice(0, -1)}${cachedOffset}`;
}

const TIME_LOCAL = (ms: unknown) => (typeof ms === 'number' && Number.isInteger(ms) && ms >= 0 ? isoLocal(ms) : '');

interface Source {
  header: readonly string[];
  /** Keyset-paged: `id > ? ORDER BY id LIMIT ?` on the primary key. */
  sql: string;
  /** One CSV line from a raw row (columns in `sql` order): arrays, not objects, because this runs a million times. */
  toLine(row: unknown[]): string;
}

/** A word of `words` for a stored code, or the code itself when the format has none (the log's own codes). */
function wordOf<K extends string>(words: Record<K, string> | undefined, code: unknown): string {
  if (typeof code !== 'string') return '';
  return csvCell(words && Object.hasOwn(words, code) ? words[code as K] : code);
}

/**
 * Each table's columns. Without a format: the log's own codes, UTC and commas (tools, the unit tests); with one:
 * the console language's headers, words, separator and local time.
 */
function sourceOf(kind: ExportKind, format?: CsvFormat): Source {
  const sep = format?.separator ?? ',';
  const time = format ? TIME_LOCAL : TIME_UTC;
  if (kind === 'sessions') {
    return {
      header: format?.headers.sessions ?? ['id', 'station', 'mode', 'started_at', 'ended_at', 'duration_s', 'outcome', 'furthest_step', 'sign_in_method'],
      sql: `SELECT id, station, mode, started_at, ended_at, duration_ms, outcome, furthest_step, sign_in_method
        FROM sessions WHERE id > ? ORDER BY id LIMIT ?`,
      toLine: (r) => {
        const duration = typeof r[5] === 'number' ? Math.round(r[5] / 1000) : null;
        const step = typeof r[7] === 'number' ? (STEP_IDS[r[7]] ?? null) : null;
        const outcome = r[6] ?? (format ? 'in-progress' : null);
        return [
          cell(r[0]),
          cell(r[1]),
          wordOf(format?.mode, r[2]),
          time(r[3]),
          time(r[4]),
          cell(duration),
          wordOf(format?.outcome, outcome),
          wordOf(format?.step, step),
          wordOf(format?.method, r[8]),
        ].join(sep).concat('\r\n');
      },
    };
  }
  return {
    header: format?.headers.events ?? ['id', 'session_id', 'at', 'step', 'type', 'code', 'details', 'prev_hash'],
    // The hash as hex text from SQLite itself: a Buffer per row, then its hex string, cost more than reading the row.
    sql: `SELECT id, session_id, at, step, type, code, details, lower(hex(prev_hash))
      FROM events WHERE id > ? ORDER BY id LIMIT ?`,
    toLine: (r) => {
      const hash = typeof r[7] === 'string' ? r[7] : '';
      return `${cell(r[0])}${sep}${cell(r[1])}${sep}${time(r[2])}${sep}${wordOf(format?.step, r[3])}${sep}${cell(r[4])}${sep}${cell(r[5])}${sep}${cell(r[6])}${sep}${hash}\r\n`;
    },
  };
}

/** Rows per page: a page is read and formatted in a few ms, then the event loop gets a turn. */
const PAGE_ROWS = 1000;

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
 * Writes `kind` as CSV to `out` and returns the row count. Reads on a connection of its own, read-only,
 * inside one read transaction (one consistent snapshot): the kiosk's connection keeps appending
 * meanwhile (WAL lets a reader and a writer work at once; an `iterate()` on the kiosk's own connection
 * would make it refuse every other statement). Pages by primary key, waits for `drain` when `out` is
 * full and yields between pages, so memory stays flat. `isCancelled` is read between pages: a cancel is a
 * KioskError task_cancelled.
 */
export async function exportCsv(
  dbPath: string,
  kind: ExportKind,
  out: Writable,
  format?: CsvFormat,
  isCancelled: () => boolean = () => false,
): Promise<number> {
  const source = sourceOf(kind, format);
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  let rows = 0;
  try {
    const page = db.prepare<[after: number, limit: number], unknown[]>(source.sql).raw(true);
    db.exec('BEGIN');
    if (!out.write(`\uFEFF${source.header.map(csvCell).join(format?.separator ?? ',')}\r\n`)) await drained(out);
    let after = 0;
    for (;;) {
      if (isCancelled()) throw new KioskError('task_cancelled');
      const batch = page.all(after, PAGE_ROWS);
      const last = batch[batch.length - 1];
      if (!last) break;
      let chunk = '';
      for (const row of batch) chunk += source.toLine(row);
      rows += batch.length;
      after = Number(last[0]);
      if (!out.write(chunk)) await drained(out);
      else await yieldToLoop();
    }
    db.exec('COMMIT');
    return rows;
  } finally {
    db.close();
  }
}

// Reads a roster CSV (email, name, service) as offices export it: UTF-8 with or without BOM, or Windows-1252 with ';'.
import type * as CsvParse from 'csv-parse/sync';
import type * as IconvLite from 'iconv-lite';
import { checkEmail, normaliseEmail } from '../rules';

export interface RosterCsvRow {
  email: string;
  name: string;
  service: string;
  /** The physical line the row starts on (1 = the first line of the file), for the supervisor's report. */
  line: number;
}

export type RosterRowProblem = 'email_invalid' | 'email_duplicate' | 'too_long' | 'unclosed_quote';

export interface RosterCsvError {
  line: number;
  reason: RosterRowProblem;
  /** The cell at fault, cut short: enough for the supervisor to find the row. */
  value: string;
}

export interface RosterCsv {
  rows: RosterCsvRow[];
  errors: RosterCsvError[];
  encoding: 'utf-8' | 'windows-1252';
  separator: ',' | ';' | '\t';
}

/** Names and services longer than this are typing accidents (a pasted paragraph), not data. */
const MAX_CELL = 200;

interface CsvLibraries {
  parse: typeof CsvParse.parse;
  iconv: typeof IconvLite;
}

let loaded: Promise<CsvLibraries> | null = null;

/** csv-parse and iconv-lite on the first roster import, not on the main process's start-up path (~50 ms). */
function csvLibraries(): Promise<CsvLibraries> {
  loaded ??= Promise.all([import('csv-parse/sync'), import('iconv-lite')]).then(([csv, iconv]) => ({ parse: csv.parse, iconv: iconv.default }));
  return loaded;
}

/**
 * UTF-8 when the bytes are valid UTF-8, else Windows-1252: Excel's "CSV (séparateur: point-virgule)"
 * on a French Windows writes the ANSI code page, and a valid UTF-8 reading of such bytes is
 * vanishingly unlikely once any accented letter is present. Windows-1252 through iconv-lite: Node's
 * TextDecoder('windows-1252') decodes as Latin-1 in the versions we run on, turning the apostrophe
 * Excel writes (0x92) into an invisible control character.
 */
export async function decodeRosterBytes(bytes: Uint8Array): Promise<{ text: string; encoding: 'utf-8' | 'windows-1252' }> {
  const { iconv } = await csvLibraries();
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(Buffer.from(body.buffer, body.byteOffset, body.byteLength), 'windows-1252'), encoding: 'windows-1252' };
  }
}

interface RawRecord {
  line: number;
  cells: string[];
  unclosed: boolean;
}

const LINE_BREAK = /\r\n|\r|\n/g;

/**
 * RFC 4180 records (csv-parse): quoted cells may hold the separator, doubled quotes and line breaks;
 * a quote inside an unquoted cell is kept as text. The line each record starts on is counted here from
 * csv-parse's offsets, because csv-parse counts a CRLF inside a quoted cell as two lines. A quote left
 * open swallows the rest of the file: that record comes back `unclosed`, the ones before it intact.
 */
async function splitRecords(text: string, separator: string): Promise<RawRecord[]> {
  const { parse } = await csvLibraries();
  const records: RawRecord[] = [];
  let line = 1;
  let offset = 0;
  /** Moves `line` to the record that starts at `end` (the previous record's end). */
  const advanceTo = (end: number) => {
    line += text.slice(offset, end).match(LINE_BREAK)?.length ?? 0;
    offset = end;
  };
  parse(text, {
    delimiter: separator,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    ltrim: true,
    skip_empty_lines: false,
    skip_records_with_error: true,
    on_record: (cells: string[], context) => {
      records.push({ line, cells, unclosed: false });
      advanceTo(context.bytes);
      return cells;
    },
    on_skip: (_error, raw) => {
      records.push({ line, cells: [raw ?? text.slice(offset)], unclosed: true });
    },
  });
  return records;
}

/** The separator the header line uses most: ';' for French spreadsheets, ',' elsewhere, tab from a copy-paste. */
export function detectSeparator(text: string): ',' | ';' | '\t' {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const count = (c: string) => firstLine.split(c).length - 1;
  const candidates = [';', ',', '\t'] as const;
  return candidates.reduce((best, c) => (count(c) > count(best) ? c : best), ',' as ',' | ';' | '\t');
}

function fold(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

const HEADER_NAMES: Record<'email' | 'name' | 'service', readonly string[]> = {
  email: ['email', 'mail', 'courriel', 'adressemail', 'adresseemail', 'adressecourriel', 'adresseelectronique'],
  name: ['name', 'nom', 'nomcomplet', 'nomprenom', 'prenomnom', 'fullname', 'agent'],
  service: ['service', 'unite', 'poste', 'bureau', 'department', 'site'],
};

type Columns = Record<'email' | 'name' | 'service', number>;

/** Column positions from a header row, or null when the first row is data (then: email, name, service). */
function columnsFromHeader(cells: readonly string[]): Columns | null {
  const folded = cells.map(fold);
  const find = (names: readonly string[]) => folded.findIndex((h) => names.includes(h));
  const email = find(HEADER_NAMES.email);
  if (email < 0) return null;
  return { email, name: find(HEADER_NAMES.name), service: find(HEADER_NAMES.service) };
}

const short = (value: string) => (value.length > 60 ? `${value.slice(0, 57)}...` : value);

export async function parseRosterCsv(bytes: Uint8Array): Promise<RosterCsv> {
  const { text, encoding } = await decodeRosterBytes(bytes);
  const separator = detectSeparator(text);
  const records = (await splitRecords(text, separator)).filter((r) => r.cells.some((c) => c.trim() !== ''));
  const header = records[0] ? columnsFromHeader(records[0].cells) : null;
  const columns: Columns = header ?? { email: 0, name: 1, service: 2 };
  const data = header ? records.slice(1) : records;

  const rows: RosterCsvRow[] = [];
  const errors: RosterCsvError[] = [];
  const seen = new Set<string>();
  const cell = (r: RawRecord, index: number) => (index >= 0 ? (r.cells[index] ?? '').trim() : '');
  for (const record of data) {
    if (record.unclosed) {
      errors.push({ line: record.line, reason: 'unclosed_quote', value: short(record.cells.join(separator)) });
      continue;
    }
    const rawEmail = cell(record, columns.email);
    const email = normaliseEmail(rawEmail);
    const name = cell(record, columns.name);
    const service = cell(record, columns.service);
    if (checkEmail(email, []) !== null) {
      errors.push({ line: record.line, reason: 'email_invalid', value: short(rawEmail) });
    } else if (seen.has(email)) {
      errors.push({ line: record.line, reason: 'email_duplicate', value: short(email) });
    } else if (name.length > MAX_CELL || service.length > MAX_CELL) {
      errors.push({ line: record.line, reason: 'too_long', value: short(email) });
    } else {
      seen.add(email);
      rows.push({ email, name, service, line: record.line });
    }
  }
  return { rows, errors, encoding, separator };
}

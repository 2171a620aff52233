// Reads a roster CSV (email, name, service) as offices export it: UTF-8 with or without BOM, or Windows-1252 with ';'.
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

/**
 * UTF-8 when the bytes are valid UTF-8, else Windows-1252: Excel's "CSV (séparateur: point-virgule)"
 * on a French Windows writes the ANSI code page, and a valid UTF-8 reading of such bytes is
 * vanishingly unlikely once any accented letter is present.
 */
export function decodeRosterBytes(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(body), encoding: 'windows-1252' };
  }
}

/** Windows-1252's 0x80-0x9F: where it differs from Latin-1 (’ “ ” € œ … are there); undefined bytes stay as is. */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Decoded by hand: Node's TextDecoder('windows-1252') decodes as Latin-1 in the versions we run
 * on, turning the apostrophe Excel writes (0x92) into an invisible control character.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte >= 0x80 && byte <= 0x9f ? (CP1252_HIGH[byte - 0x80] ?? '') : String.fromCharCode(byte);
  return text;
}

interface RawRecord {
  line: number;
  cells: string[];
  unclosed: boolean;
}

/** RFC 4180 records: quoted cells may hold the separator, doubled quotes and line breaks. */
export function splitRecords(text: string, separator: string): RawRecord[] {
  const records: RawRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    let unclosed = false;
    for (;;) {
      if (i >= text.length) {
        unclosed = quoted;
        cells.push(cell);
        break;
      }
      const c = text[i] ?? '';
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (c === '"') {
          quoted = false;
          i += 1;
        } else {
          if (c === '\n') line += 1;
          cell += c;
          i += 1;
        }
      } else if (c === '"' && cell.trim() === '') {
        quoted = true;
        cell = '';
        i += 1;
      } else if (c === separator) {
        cells.push(cell);
        cell = '';
        i += 1;
      } else if (c === '\r' || c === '\n') {
        i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line += 1;
        cells.push(cell);
        break;
      } else {
        cell += c;
        i += 1;
      }
    }
    records.push({ line: start, cells, unclosed });
  }
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

export function parseRosterCsv(bytes: Uint8Array): RosterCsv {
  const { text, encoding } = decodeRosterBytes(bytes);
  const separator = detectSeparator(text);
  const records = splitRecords(text, separator).filter((r) => r.cells.some((c) => c.trim() !== ''));
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

// A bundle is data, checked before it is read: its schema is the one this kiosk writes, its rows are those its manifest counts, its values pass the entry rules.
import Database from 'better-sqlite3';
import { EVENT_TYPES } from '../../shared/event-types';
import { SIGN_IN_METHODS, STEP_IDS } from '../../shared/steps';
import { DEVICE_NAME, EMAIL } from '../../shared/formats';
import type { BundleManifest } from './bundle';
import { MIGRATIONS, migrate } from './migrate';

/** Why a snapshot is not what this kiosk writes; import.ts turns it into the refusal the supervisor reads. */
export type SnapshotFault = 'schema' | 'rows' | 'value';

/** Longest text the engine ever writes in these columns; a bundle carrying more was not written by a kiosk. */
export const BUNDLE_TEXT_LIMITS = {
  /** Event details are small JSON objects (a checkpoint's, with its signature, is the longest: under 1 KiB). */
  details: 4096,
  /** The station's name in settings and sessions (60 in the console; 200 leaves room for older kiosks). */
  stationName: 200,
  settingKey: 64,
  settingValue: 16_384,
  email: 254,
} as const;

/** A bundle holds a station's own settings: a few dozen keys at most. */
const MAX_SETTINGS = 256;

const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** SQLite's schema table of a database, object by object, in an order that does not depend on creation. */
const SCHEMA = 'SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name';

const expected = new Map<number, string>();

/** The schema migrations 1..`version` write, as SCHEMA returns it: the only schema a bundle of that version may have. */
export function writtenSchema(version: number): string {
  let schema = expected.get(version);
  if (schema === undefined) {
    const db = new Database(':memory:');
    try {
      migrate(db, MIGRATIONS.slice(0, version));
      schema = JSON.stringify(db.prepare(SCHEMA).all());
    } finally {
      db.close();
    }
    expected.set(version, schema);
  }
  return schema;
}

/**
 * Reading the schema table runs nothing the bundle defines: views, triggers and indexes are only parsed.
 * Only once the schema equals the one this kiosk writes may any table be read: a "table" that is really an
 * endless view, an extra index on an expression or a trigger can then no longer exist.
 */
function schemaFault(bundle: Database.Database, version: number): boolean {
  return JSON.stringify(bundle.prepare(SCHEMA).all()) !== writtenSchema(version);
}

interface Counts {
  events: number;
  sessions: number;
  devices: number;
  agents: number;
  settings: number;
  roster: number;
  stations: number;
  imported: number;
  trusted: number;
}

function rowsFault(bundle: Database.Database, manifest: BundleManifest, version: number): boolean {
  const trusted = version >= 5 ? '(SELECT count(*) FROM trusted_stations)' : '0';
  const counted = version >= 6 ? '(SELECT count(*) FROM station_session_counts) + (SELECT count(*) FROM station_error_counts)' : '0';
  const c = bundle
    .prepare<[], Counts>(
      `SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM sessions) AS sessions,
        (SELECT count(*) FROM devices) AS devices, (SELECT count(*) FROM agents) AS agents,
        (SELECT count(*) FROM settings) AS settings, (SELECT count(*) FROM roster) AS roster,
        (SELECT count(*) FROM stations) AS stations,
        (SELECT count(*) FROM station_events) + (SELECT count(*) FROM station_sessions)
          + (SELECT count(*) FROM station_devices) + ${counted} AS imported,
        ${trusted} AS trusted`,
    )
    .get();
  // A bundle carries what its manifest counts, its agents (each one a device's or a session's), its own
  // settings and identity, and nothing of the roster, of other stations, or of whom it trusts.
  return (
    !c ||
    c.events !== manifest.events ||
    c.sessions !== manifest.sessions ||
    c.devices !== manifest.devices ||
    c.agents > c.devices + c.sessions ||
    c.settings > MAX_SETTINGS ||
    c.roster !== 0 ||
    c.stations !== 1 ||
    c.imported !== 0 ||
    c.trusted !== 0
  );
}

/** Rows that break an entry rule, one query per table; each is a scan of a table the schema check vouched for. */
const BAD_VALUES = [
  `SELECT 1 FROM events WHERE NOT (
     (type IN (${quoted(EVENT_TYPES)}) OR (type GLOB 'shell_*' AND length(type) <= 64 AND type NOT GLOB '*[^a-z0-9_]*'))
     AND (step IS NULL OR step IN (${quoted(STEP_IDS)}))
     AND (code IS NULL OR (length(code) BETWEEN 1 AND 64 AND code NOT GLOB '*[^a-z0-9_]*'))
     AND (details IS NULL OR length(CAST(details AS BLOB)) <= ${BUNDLE_TEXT_LIMITS.details})) LIMIT 1`,
  `SELECT 1 FROM sessions WHERE NOT (
     length(CAST(station AS BLOB)) <= ${BUNDLE_TEXT_LIMITS.stationName}
     AND furthest_step BETWEEN 0 AND ${STEP_IDS.length - 1}
     AND (sign_in_method IS NULL OR sign_in_method IN (${quoted(SIGN_IN_METHODS)}))) LIMIT 1`,
  `SELECT 1 FROM settings WHERE NOT (
     length(CAST(key AS BLOB)) BETWEEN 1 AND ${BUNDLE_TEXT_LIMITS.settingKey}
     AND length(CAST(value AS BLOB)) <= ${BUNDLE_TEXT_LIMITS.settingValue}) LIMIT 1`,
  `SELECT 1 FROM stations WHERE length(CAST(name AS BLOB)) > ${BUNDLE_TEXT_LIMITS.stationName} LIMIT 1`,
  // Scrubbed: no PIN hash, no sealed secret travels.
  `SELECT 1 FROM devices WHERE length(pin_hash) <> 0 OR secret_box IS NOT NULL OR length(CAST(name AS BLOB)) > 30 LIMIT 1`,
  `SELECT 1 FROM agents WHERE length(CAST(email AS BLOB)) > ${BUNDLE_TEXT_LIMITS.email} LIMIT 1`,
];

function valueFault(bundle: Database.Database, manifest: BundleManifest): boolean {
  if (BAD_VALUES.some((sql) => bundle.prepare(sql).get() !== undefined)) return true;
  // The lengths are bounded above, so these regular expressions run on short strings only.
  for (const { name } of bundle.prepare<[], { name: string }>('SELECT name FROM devices').iterate()) {
    if (!DEVICE_NAME.test(name)) return true;
  }
  // The e-mail rule of rules.ts (checkEmail) without the domain list: the head has its own.
  for (const { email } of bundle.prepare<[], { email: string }>('SELECT email FROM agents').iterate()) {
    if (!EMAIL.test(email)) return true;
  }
  const self = bundle
    .prepare<[], { station_id: string; public_key: Buffer; is_self: number }>('SELECT station_id, public_key, is_self FROM stations')
    .get();
  return !self || self.is_self !== 1 || self.station_id !== manifest.stationId || self.public_key.toString('base64') !== manifest.publicKey;
}

/**
 * The checks, cheapest and most dangerous first: the schema before any table is read, then the counts
 * (a table longer than signed is refused before it is walked), then every value. Null when the snapshot
 * is what a kiosk of `version` writes.
 */
export function snapshotFault(bundle: Database.Database, manifest: BundleManifest, version: number): SnapshotFault | null {
  if (schemaFault(bundle, version)) return 'schema';
  if (rowsFault(bundle, manifest, version)) return 'rows';
  if (valueFault(bundle, manifest)) return 'value';
  return null;
}

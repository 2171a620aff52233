// Imports another station's bundle on a head station: every check on a private copy first, then the merge in short steps. Near 360 lines: the checks are read in the order they run, so a refusal's cause is found in one file.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { KioskError, type ErrorCode } from '../../shared/errors';
import { BUNDLE_HEADER_BYTES, BUNDLE_MAGIC, LATEST_SCHEMA, MANIFEST_MAX_BYTES, manifestMessage, type BundleManifest } from './bundle';
import { writeCheckpoint } from './checkpoints';
import { appendEvent, hashEvent, rowToEvent } from './events';
import { snapshotFault, type SnapshotFault } from './bundle-check';
import {
  STATION_ID_PATTERN,
  findStation,
  fingerprintOf,
  isTrusted,
  normaliseFingerprint,
  trustStation,
  verifySignature,
  type StationIdentity,
} from './identity';
import { sql } from './statements';
import { verifyLog } from './verify';
import type { ImportResult } from '../engine/supervisor/domain';


/** 100,000 events make about 30 MB: 1 GiB is far beyond a day's bundle, and a bound on what a USB file may cost. */
export const BUNDLE_MAX_BYTES = 1024 ** 3;

/** The oldest schema a bundle may have: the first with a station identity. */
const FIRST_BUNDLE_SCHEMA = 4;


export interface ImportOptions {
  /** Where the private copy is made (the head's data folder, never the drive). */
  scratchDir: string;
  /** Opens the bundle for reading; a test passes one that fails half-way, as a drive pulled out would. */
  openRead?: (path: string, start: number) => Readable;
  maxBytes?: number;
  /**
   * The fingerprint the supervisor compared with the one on the station's own console (`admin import --trust`,
   * the console's approval): a bundle signed by that key is trusted from now on and merged.
   */
  trust?: string;
  /**
   * True once the supervisor cancelled: the import stops at its next few thousand rows and the steps
   * already merged are undone. A function, not an AbortSignal: a worker busy in SQLite reads no messages.
   */
  isCancelled?: () => boolean;
  /** Before each step's transaction: in the worker, lets the kiosk thread's own writes go first (writer-turn.ts). */
  beforeWrite?: () => void;
  /** How far the import is, in rows walked (checked, then merged) out of twice the manifest's events. */
  onProgress?: (done: number, total: number) => void;
}

/** Bytes read from the drive at a time: a 750 MB bundle in 750 writes, not 12,000. */
const COPY_CHUNK = 1024 * 1024;

/**
 * Ids merged by one INSERT … SELECT, in one transaction: the longest an agent's write at the head waits for the
 * merge (about 40 ms at 100,000 events/s; 32,768 held it 1.8 s on a loaded machine). Between two, the cancel
 * signal is read and the progress reported.
 */
const MERGE_RANGE = 4_096;

type EventRow = Parameters<typeof rowToEvent>[0];

function refuse(code: ErrorCode, file: string): KioskError {
  return new KioskError(code, { file: basename(file) });
}

/** A count or an event id: a whole number JSON and SQLite both hold exactly. */
const safeInt = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);

/** The signed manifest as a bundle carries it; any field missing, mistyped or out of bounds makes the file not a bundle. */
const manifestSchema = z.object({
  format: z.literal('enrolment-kiosk-bundle'),
  stationId: z.string().regex(STATION_ID_PATTERN),
  stationName: z.string().min(1).max(200),
  publicKey: z.string(),
  fingerprint: z.string(),
  firstEventId: safeInt.nullable(),
  lastEventId: safeInt.nullable(),
  headHash: z.string(),
  events: safeInt,
  sessions: safeInt,
  devices: safeInt,
  schemaVersion: safeInt,
  sha256: z.string(),
  bytes: safeInt,
  createdAt: safeInt,
  signature: z.string(),
});

function parseManifest(json: Buffer, file: string): { manifest: BundleManifest; signature: Buffer } {
  let value: unknown;
  try {
    value = JSON.parse(json.toString('utf8'));
  } catch {
    throw refuse('bundle_not_a_bundle', file);
  }
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) throw refuse('bundle_not_a_bundle', file);
  const { signature, ...manifest } = parsed.data;
  return { manifest, signature: Buffer.from(signature, 'base64') };
}

/** Reads the magic and the manifest: a few KiB at most, whatever the file's size. */
async function readHead(file: string): Promise<{ manifest: BundleManifest; signature: Buffer; snapshotAt: number }> {
  const handle = await open(file, 'r');
  try {
    const header = Buffer.alloc(BUNDLE_HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, header.length, 0);
    if (bytesRead < header.length || !header.subarray(0, BUNDLE_MAGIC.length).equals(BUNDLE_MAGIC)) {
      throw refuse('bundle_not_a_bundle', file);
    }
    const length = header.readUInt32BE(BUNDLE_MAGIC.length);
    if (length === 0 || length > MANIFEST_MAX_BYTES) throw refuse('bundle_not_a_bundle', file);
    const json = Buffer.alloc(length);
    const read = await handle.read(json, 0, length, header.length);
    if (read.bytesRead < length) throw refuse('bundle_truncated', file);
    return { ...parseManifest(json, file), snapshotAt: header.length + length };
  } finally {
    await handle.close();
  }
}

/** Copies the snapshot to a private 0600 file, hashing as it goes; a read that fails is a pulled drive. */
async function copySnapshot(
  file: string,
  start: number,
  target: string,
  openRead: (path: string, start: number) => Readable,
  isCancelled: () => boolean,
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const handle = await open(target, 'wx', 0o600);
  try {
    for await (const chunk of openRead(file, start)) {
      if (isCancelled()) throw refuse('bundle_cancelled', file);
      const buffer = chunk as Buffer;
      hash.update(buffer);
      bytes += buffer.length;
      await handle.write(buffer);
    }
  } catch (error) {
    if (error instanceof KioskError) throw error;
    throw refuse('bundle_read_failed', file);
  } finally {
    await handle.close();
  }
  return { sha256: hash.digest('hex'), bytes };
}

const EVENT_AT = 'SELECT id, session_id, at, step, type, code, details, prev_hash FROM events WHERE id = ?';
const IMPORTED_EVENT_AT = `SELECT id, session_id, at, step, type, code, details, prev_hash FROM station_events
  WHERE station_id = ? AND id = ?`;
const UPSERT_STATION = sql<
  [stationId: string, name: string, publicKey: Buffer, lastEventId: number, headHash: Buffer, importedAt: number]
>(`INSERT INTO stations (station_id, name, public_key, is_self, last_event_id, head_hash, imported_at)
  VALUES (?, ?, ?, 0, ?, ?, ?)
  ON CONFLICT (station_id) DO UPDATE SET name = excluded.name, last_event_id = excluded.last_event_id,
    head_hash = excluded.head_hash, imported_at = excluded.imported_at`);
// The merge reads the checked copy attached as `bundle` (mergeChecked), one range of ids at a time. Prepared
// while it is attached, each time (never kept: the name `bundle` means another file at the next import).
const MERGE_EVENTS = `INSERT OR IGNORE INTO station_events (station_id, id, session_id, at, step, type, code, details, prev_hash)
  SELECT ?, id, session_id, at, step, type, code, details, prev_hash FROM bundle.events WHERE id > ? AND id <= ? ORDER BY id`;
const SESSION_RANGE_END = `SELECT id FROM bundle.sessions WHERE id > ? ORDER BY id LIMIT 1 OFFSET ${MERGE_RANGE - 1}`;
// An update, not a REPLACE (a delete SQLite's triggers may not see): migration 006's counts follow every change.
const MERGE_SESSIONS = `INSERT INTO station_sessions
    (station_id, id, mode, started_at, day, ended_at, duration_ms, outcome, furthest_step, sign_in_method)
  SELECT ?, id, mode, started_at, day, ended_at, duration_ms, outcome, furthest_step, sign_in_method
  FROM bundle.sessions WHERE id > ? AND id <= ? ORDER BY id
  ON CONFLICT (station_id, id) DO UPDATE SET mode = excluded.mode, started_at = excluded.started_at, day = excluded.day,
    ended_at = excluded.ended_at, duration_ms = excluded.duration_ms, outcome = excluded.outcome,
    furthest_step = excluded.furthest_step, sign_in_method = excluded.sign_in_method
  WHERE (mode, started_at, day, ended_at, duration_ms, outcome, furthest_step, sign_in_method)
    IS NOT (excluded.mode, excluded.started_at, excluded.day, excluded.ended_at, excluded.duration_ms, excluded.outcome,
      excluded.furthest_step, excluded.sign_in_method)`;
// A station met for the first time, while its rows are merged: listed nowhere until the last step names it imported.
const PLACEHOLDER_STATION = sql<[stationId: string, name: string, publicKey: Buffer]>(`INSERT INTO stations (station_id, name, public_key, is_self, last_event_id, head_hash, imported_at)
  VALUES (?, ?, ?, 0, 0, NULL, NULL)`);
const UNFINISHED = sql<[], { station_id: string; last_event_id: number; imported_at: number | null }>(
  'SELECT station_id, last_event_id, imported_at FROM stations WHERE is_self = 0',
);
const PAST_END = sql<[stationId: string, importedThrough: number], { found: 1 }>(
  'SELECT 1 AS found FROM station_events WHERE station_id = ? AND id > ? LIMIT 1',
);
const UNDO_EVENTS = sql<[stationId: string, importedThrough: number]>('DELETE FROM station_events WHERE station_id = ? AND id > ?');
const UNDO_PLACEHOLDER = [
  sql<[stationId: string]>('DELETE FROM station_devices WHERE station_id = ?'),
  sql<[stationId: string]>('DELETE FROM station_sessions WHERE station_id = ?'),
  sql<[stationId: string]>('DELETE FROM station_events WHERE station_id = ?'),
  sql<[stationId: string]>('DELETE FROM stations WHERE station_id = ? AND is_self = 0 AND imported_at IS NULL'),
];
const DELETE_DEVICES = sql<[stationId: string]>('DELETE FROM station_devices WHERE station_id = ?');
const MERGE_DEVICES = `INSERT INTO station_devices (station_id, id, email, name, status, activated_at, sign_in_tested_at)
  SELECT ?, d.id, a.email, d.name, d.status, d.activated_at, d.sign_in_tested_at
  FROM bundle.devices d JOIN bundle.agents a ON a.id = d.agent_id ORDER BY d.id`;
const SESSION_COUNT = sql<[stationId: string], { n: number }>('SELECT count(*) AS n FROM station_sessions WHERE station_id = ?');

export interface CheckedBundle {
  manifest: BundleManifest;
  publicKey: Buffer;
  /** The private read-only copy of the snapshot, verified: chain, checkpoints, session rows. */
  db: Database.Database;
}

/**
 * Every check a bundle can pass alone, on a private read-only copy, in the order a bad bundle is cheapest
 * told: size (before anything is read), magic and manifest, its signature, the copy's length and digest,
 * integrity, schema, the chain and its checkpoints under the manifest's key, the manifest against the chain.
 * `use` runs on the checked copy, which is removed afterwards whatever happens.
 */
export async function withCheckedBundle<T>(file: string, options: ImportOptions, use: (bundle: CheckedBundle) => T): Promise<T> {
  const maxBytes = options.maxBytes ?? BUNDLE_MAX_BYTES;
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw refuse('bundle_not_a_bundle', file);
    size = info.size;
  } catch (error) {
    if (error instanceof KioskError) throw error;
    throw refuse('bundle_read_failed', file);
  }
  if (size > maxBytes) throw refuse('bundle_too_large', file);
  const { manifest, signature, snapshotAt } = await readHead(file).catch((error: unknown) => {
    throw error instanceof KioskError ? error : refuse('bundle_read_failed', file);
  });
  const publicKey = Buffer.from(manifest.publicKey, 'base64');
  if (!verifySignature(publicKey, manifestMessage(manifest), signature) || fingerprintOf(publicKey) !== manifest.fingerprint) {
    throw refuse('bundle_signature_invalid', file);
  }
  if (manifest.schemaVersion > LATEST_SCHEMA) throw refuse('bundle_schema_newer', file);
  if (manifest.schemaVersion < FIRST_BUNDLE_SCHEMA) throw refuse('bundle_not_a_bundle', file);
  if (size - snapshotAt < manifest.bytes) throw refuse('bundle_truncated', file);
  if (size - snapshotAt > manifest.bytes) throw refuse('bundle_edited', file);

  const scratch = join(options.scratchDir, `.import-${randomBytes(6).toString('hex')}.db`);
  const openRead = options.openRead ?? ((path, start) => createReadStream(path, { start, highWaterMark: COPY_CHUNK }));
  try {
    const copied = await copySnapshot(file, snapshotAt, scratch, openRead, options.isCancelled ?? (() => false));
    if (copied.bytes < manifest.bytes) throw refuse('bundle_truncated', file);
    if (copied.sha256 !== manifest.sha256 || copied.bytes !== manifest.bytes) throw refuse('bundle_edited', file);
    let bundle: Database.Database;
    try {
      bundle = new Database(scratch, { readonly: true, fileMustExist: true });
    } catch {
      throw refuse('bundle_not_a_bundle', file);
    }
    try {
      checkSnapshot(bundle, manifest, publicKey, file, options);
      return use({ manifest, publicKey, db: bundle });
    } finally {
      bundle.close();
    }
  } finally {
    await rm(scratch, { force: true });
  }
}

const FAULTS: Record<SnapshotFault, ErrorCode> = {
  schema: 'bundle_schema_differs',
  rows: 'bundle_edited',
  value: 'bundle_value_invalid',
};

/** A throw from the progress callback stops the walk: how a cancelled import leaves the bundle half-read, and nothing else. */
function cancelled(options: ImportOptions, file: string): void {
  if (options.isCancelled?.()) throw refuse('bundle_cancelled', file);
}

function checkSnapshot(bundle: Database.Database, manifest: BundleManifest, publicKey: Buffer, file: string, options: ImportOptions): void {
  // Nothing the file defines may run: no function of a schema, no view, no trigger (checked below as well);
  // temporary results stay in memory, bounded by the page cache, never in a temp file that grows unseen.
  bundle.pragma('trusted_schema = OFF');
  bundle.pragma('temp_store = MEMORY');
  bundle.pragma('cache_size = -16384');
  cancelled(options, file);
  let version: number;
  let fault: SnapshotFault | null;
  try {
    version = Number(bundle.pragma('user_version', { simple: true }));
    if (version > LATEST_SCHEMA) throw refuse('bundle_schema_newer', file);
    if (version !== manifest.schemaVersion) throw refuse('bundle_edited', file);
    // quick_check (every page and record well formed) rather than integrity_check (which also rebuilds every
    // index in memory to compare): the file is byte for byte what its signer wrote, and what it holds is
    // checked below; a malformed file is what must not reach the queries.
    if (bundle.pragma('quick_check', { simple: true }) !== 'ok') throw refuse('bundle_edited', file);
    fault = snapshotFault(bundle, manifest, version);
  } catch (error) {
    if (error instanceof KioskError) throw error;
    throw refuse('bundle_not_a_bundle', file);
  }
  if (fault) throw refuse(FAULTS[fault], file);
  let v;
  try {
    v = verifyLog(bundle, {
      publicKey,
      onProgress: (n) => {
        cancelled(options, file);
        options.onProgress?.(n, manifest.events * 2);
      },
    });
  } catch (error) {
    if (error instanceof KioskError) throw error;
    throw refuse('bundle_not_a_bundle', file);
  }
  if (!v.ok || v.unsignedAfter > 0 || v.station?.stationId !== manifest.stationId) throw refuse('bundle_chain_broken', file);
  if (
    v.events !== manifest.events ||
    v.headHash !== manifest.headHash ||
    v.firstEventId !== manifest.firstEventId ||
    v.lastEventId !== manifest.lastEventId
  ) {
    throw refuse('bundle_edited', file);
  }
}

/** Who imports: the head's own station id and key (a bundle of its own is refused). */
export interface ImportingStation {
  stationId: string;
  publicKey: Buffer;
}

/**
 * Checks `file` and merges it into the station tables, a range at a time (mergeChecked).
 * `record` runs inside the last step's transaction, the one that names the station imported: importBundle logs the
 * import there; a worker, which never appends to the chain (the kiosk's thread alone does, so two
 * connections never race for the next event id), leaves it out and the kiosk logs the result after.
 */
export async function checkAndMerge(
  db: Database.Database,
  self: ImportingStation,
  file: string,
  at: number,
  options: ImportOptions,
  record?: (result: ImportResult) => void): Promise<ImportResult> {
  return withCheckedBundle(file, options, (checked) => {
    const { manifest, publicKey } = checked;
    if (manifest.stationId === self.stationId || publicKey.equals(self.publicKey)) throw refuse('bundle_own_station', file);
    const known = findStation(db, manifest.stationId);
    if (known && !known.publicKey.equals(publicKey)) throw refuse('bundle_unknown_key', file);
    const vouched = options.trust !== undefined && normaliseFingerprint(options.trust) === manifest.fingerprint;
    // Held, not merged: the head writes nothing of it, so a forged bundle claims no station id, and the real
    // station's bundle is still accepted after it.
    if (!vouched && !isTrusted(db, publicKey)) {
      throw new KioskError('bundle_held', { file: basename(file), fingerprint: manifest.fingerprint, stationName: manifest.stationName });
    }
    return boundedGrowth(db, manifest, file, () => mergeChecked({ db, bundle: checked, file, at, options, vouched, record }));
  });
}

/**
 * A merge can add at most about three times the bundle's own size (rows, the head's indexes, its journal):
 * past that SQLite stops with "database full" and the transaction is rolled back, whatever the rows hold.
 */
function boundedGrowth<T>(db: Database.Database, manifest: BundleManifest, file: string, merge: () => T): T {
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  const pages = Number(db.pragma('page_count', { simple: true }));
  const previous = Number(db.pragma('max_page_count', { simple: true }));
  const bound = pages + Math.ceil((3 * manifest.bytes) / pageSize) + 1024;
  db.pragma(`max_page_count = ${Math.min(bound, previous)}`);
  try {
    return merge();
  } catch (error) {
    if (error instanceof KioskError) throw error;
    if (error instanceof Database.SqliteError && error.code === 'SQLITE_FULL') throw refuse('bundle_too_big_to_merge', file);
    throw error;
  } finally {
    db.pragma(`max_page_count = ${previous}`);
  }
}

/** One merge: the head's connection, the checked bundle, and what the supervisor asked. */
interface Merge {
  db: Database.Database;
  bundle: CheckedBundle;
  file: string;
  at: number;
  options: ImportOptions;
  /** The supervisor vouched for this bundle's key now: it is trusted in the merge's last step. */
  vouched: boolean;
  record?: ((result: ImportResult) => void) | undefined;
}

type KnownStation = ReturnType<typeof findStation>;

/**
 * The past must be the one imported before: the bundle's event at the last imported id hashes as it did then
 * (the chain makes that one hash vouch for everything before it), or, for an older bundle, our copy of its last
 * event hashes to its head.
 */
function checkSamePast({ db, bundle: { db: copy, manifest }, file }: Merge, known: KnownStation): void {
  const importedThrough = known?.lastEventId ?? 0;
  const bundleLast = manifest.lastEventId ?? 0;
  if (!known || importedThrough === 0) return;
  if (bundleLast >= importedThrough) {
    const row = copy.prepare<[number], EventRow>(EVENT_AT).get(importedThrough);
    if (!row || !known.headHash || !hashEvent(rowToEvent(row)).equals(known.headHash)) throw refuse('bundle_diverges', file);
  } else {
    const ours = db.prepare<[string, number], EventRow>(IMPORTED_EVENT_AT).get(manifest.stationId, bundleLast);
    if (!ours || hashEvent(rowToEvent(ours)).toString('hex') !== manifest.headHash) throw refuse('bundle_diverges', file);
  }
}

/** Runs `use` with the checked copy attached as `bundle`, read only through its checked schema (nothing it defines runs). */
function withAttached<T>(db: Database.Database, copy: Database.Database, use: () => T): T {
  const trustedSchema = Number(db.pragma('trusted_schema', { simple: true }));
  db.pragma('trusted_schema = OFF');
  db.prepare('ATTACH DATABASE ? AS bundle').run(copy.name);
  try {
    return use();
  } finally {
    db.exec('DETACH DATABASE bundle');
    db.pragma(`trusted_schema = ${trustedSchema}`);
  }
}

/**
 * Merges the checked copy in SQL: the copy is attached to the head's connection and its rows are copied by
 * INSERT … SELECT, a range of ids at a time, without one JavaScript call per row. Nothing is merged that
 * withCheckedBundle did not vouch for: the copy is the very file it checked (private, 0600, read by no one
 * else), its schema is the one this kiosk writes (so `bundle.events` is a table, not a view).
 *
 * Committed a range at a time, each its own short transaction, so that the kiosk's own writes (an agent's next
 * step) wait a range, not the whole merge. The station's row says how far it is imported only in the last one:
 * until then a new station is a placeholder (imported_at NULL), and what a failure, a cancel or a crash left
 * past the imported end is undone (here, or by undoUnfinishedMerges at the next start).
 */
function mergeChecked(merge: Merge): ImportResult {
  const { db, bundle, file, options } = merge;
  const { manifest } = bundle;
  cancelled(options, file);
  const known = findStation(db, manifest.stationId);
  checkSamePast(merge, known);
  const write = <T>(fn: () => T): T => {
    options.beforeWrite?.();
    return db.transaction(fn).immediate();
  };
  return withAttached(db, bundle.db, () => {
    try {
      const sessionsBefore = SESSION_COUNT.on(db).get(manifest.stationId)?.n ?? 0;
      if (!known) write(() => PLACEHOLDER_STATION.on(db).run(manifest.stationId, manifest.stationName, bundle.publicKey));
      const events = mergeRanges(merge, known, write);
      return write(() => markImported(merge, known, events, sessionsBefore));
    } catch (error) {
      write(() => undoMerge(db, manifest.stationId));
      throw error;
    }
  });
}

/** The events past the imported end, then (from a bundle as new or newer) the sessions, a range per transaction. */
function mergeRanges({ db, bundle: { manifest }, file, options }: Merge, known: KnownStation, write: <T>(fn: () => T) => T): number {
  const importedThrough = known?.lastEventId ?? 0;
  const bundleLast = manifest.lastEventId ?? 0;
  const total = manifest.events * 2;
  let walked = 0;
  /** After each range merged: the progress and the cancel (a throw undoes the ranges merged). */
  const step = (rows: number) => {
    walked += rows;
    cancelled(options, file);
    options.onProgress?.(manifest.events + Math.min(walked, manifest.events), total);
  };
  let events = 0;
  const insertEvents = db.prepare<[string, number, number]>(MERGE_EVENTS);
  for (let from = importedThrough; from < bundleLast; from += MERGE_RANGE) {
    const to = Math.min(from + MERGE_RANGE, bundleLast);
    events += write(() => insertEvents.run(manifest.stationId, from, to).changes);
    step(to - from);
  }
  // Sessions and devices are the station's current figures (covered by its chain): a later bundle replaces them.
  if (bundleLast >= importedThrough) {
    // Session ids need not follow each other: each range ends at the id MERGE_RANGE rows further.
    const rangeEnd = db.prepare<[number], number>(SESSION_RANGE_END).pluck();
    const upsertSessions = db.prepare<[string, number, number]>(MERGE_SESSIONS);
    for (let from: number | undefined = -Infinity; from !== undefined; ) {
      const start = from;
      const to: number | undefined = rangeEnd.get(start);
      write(() => upsertSessions.run(manifest.stationId, start, to ?? Infinity));
      from = to;
      step(0);
    }
  }
  return events;
}

/** The last step, in its own transaction: the station's new end and head, its devices, its trust, and the import logged. */
function markImported({ db, bundle: { manifest, publicKey }, file, at, vouched, record }: Merge, known: KnownStation, events: number, sessionsBefore: number): ImportResult {
  const importedThrough = known?.lastEventId ?? 0;
  const bundleLast = manifest.lastEventId ?? 0;
  const newest = Math.max(importedThrough, bundleLast);
  const head = newest === importedThrough && known?.headHash ? known.headHash : Buffer.from(manifest.headHash, 'hex');
  if (vouched) trustStation(db, publicKey, manifest.stationName, at);
  UPSERT_STATION.on(db).run(manifest.stationId, manifest.stationName, publicKey, newest, head, at);
  if (bundleLast >= importedThrough) {
    DELETE_DEVICES.on(db).run(manifest.stationId);
    db.prepare<[string]>(MERGE_DEVICES).run(manifest.stationId);
  }
  const result: ImportResult = {
    file: basename(file),
    stationId: manifest.stationId,
    stationName: manifest.stationName,
    fingerprint: manifest.fingerprint,
    events,
    sessions: (SESSION_COUNT.on(db).get(manifest.stationId)?.n ?? 0) - sessionsBefore,
    lastEventId: newest,
  };
  record?.(result);
  return result;
}

/**
 * Undoes what an unfinished merge of `stationId` left: a new station's placeholder and all its rows, or a known
 * station's events past the end it was imported to. Sessions a merge already updated keep their newer figures:
 * they come from the same checked chain, and importing the bundle again brings the rest.
 */
function undoMerge(db: Database.Database, stationId: string): number {
  const station = findStation(db, stationId);
  if (!station || station.isSelf) return 0;
  if (station.importedAt === null) return UNDO_PLACEHOLDER.reduce((rows, undo) => rows + undo.on(db).run(stationId).changes, 0);
  return UNDO_EVENTS.on(db).run(stationId, station.lastEventId).changes;
}

/**
 * At start: whatever a merge killed between its steps left (a crash, a power cut), undone. Read first, so that a
 * head with nothing to undo (every start but one) writes nothing. Returns how many stations were undone.
 */
export function undoUnfinishedMerges(db: Database.Database): number {
  const unfinished = UNFINISHED.on(db)
    .all()
    .filter((row) => row.imported_at === null || PAST_END.on(db).get(row.station_id, row.last_event_id) !== undefined);
  if (unfinished.length === 0) return 0;
  db.transaction(() => unfinished.forEach((row) => undoMerge(db, row.station_id))).immediate();
  return unfinished.length;
}

/** The import in the head's own chain, with a checkpoint: what the station's report and verify then vouch for. */
export function recordImport(db: Database.Database, self: StationIdentity, result: ImportResult, at: number): void {
  appendEvent(db, {
    sessionId: null,
    at,
    step: null,
    type: 'bundle_imported',
    details: { stationId: result.stationId, events: result.events, sessions: result.sessions, through: result.lastEventId },
  });
  writeCheckpoint(db, self, 'import', at);
}

/** A refusal in the head's chain: its code and the file's name, nothing from inside the file. A held bundle is not one. */
export function recordRefusal(db: Database.Database, refusal: KioskError, file: string, at: number): void {
  if (refusal.code === 'bundle_held') return;
  appendEvent(db, { sessionId: null, at, step: null, type: 'bundle_refused', code: refusal.code, details: { file: basename(file) } });
}

/** Any failure as the refusal the console and the command line show. */
export function asRefusal(error: unknown, file: string): KioskError {
  return error instanceof KioskError ? error : refuse('bundle_failed', file);
}

/**
 * Imports `file` into the head's log, in this thread (the command line, tests; the kiosk runs the same
 * checkAndMerge in a worker). A refusal is logged and thrown as the KioskError the console and the command line show.
 */
export async function importBundle(
  db: Database.Database,
  self: StationIdentity,
  file: string,
  now: () => number,
  options: ImportOptions,
): Promise<ImportResult> {
  try {
    return await checkAndMerge(db, self, file, now(), options, (result) => recordImport(db, self, result, now()));
  } catch (error) {
    const refusal = asRefusal(error, file);
    recordRefusal(db, refusal, file, now());
    throw refusal;
  }
}

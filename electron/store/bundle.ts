// A station bundle for a USB drive: a consistent, scrubbed snapshot of the log behind a signed manifest, in one file.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { writeCheckpoint } from './checkpoints';
import { appendEvent } from './events';
import type { StationIdentity } from './identity';
import { MIGRATIONS, schemaVersion } from './migrate';
import { readSettings } from './settings';
import { verifyLog } from './verify';

/** The first bytes of every bundle: "not a bundle at all" is told from these before anything else is read. */
export const BUNDLE_MAGIC = Buffer.from('ENROLMENT-KIOSK-BUNDLE 1\n');
/** A manifest is a few hundred bytes; a length field above this is not a bundle (and is never allocated). */
export const MANIFEST_MAX_BYTES = 64 * 1024;
/** Bytes before the snapshot: magic, then the manifest's length as a 32-bit big-endian integer. */
export const BUNDLE_HEADER_BYTES = BUNDLE_MAGIC.length + 4;

export interface BundleManifest {
  format: 'enrolment-kiosk-bundle';
  stationId: string;
  stationName: string;
  /** Base64 of the raw Ed25519 public key. */
  publicKey: string;
  fingerprint: string;
  firstEventId: number | null;
  lastEventId: number | null;
  headHash: string;
  events: number;
  sessions: number;
  devices: number;
  schemaVersion: number;
  /** SHA-256 (hex) and length of the snapshot that follows the manifest. */
  sha256: string;
  bytes: number;
  createdAt: number;
}

/** The signed bytes: the manifest's fields in a fixed order, so none can be moved or added under the signature. */
export function manifestMessage(m: BundleManifest): Buffer {
  return Buffer.from(
    JSON.stringify([
      'enrolment-kiosk bundle v1',
      m.format,
      m.stationId,
      m.stationName,
      m.publicKey,
      m.fingerprint,
      m.firstEventId,
      m.lastEventId,
      m.headHash,
      m.events,
      m.sessions,
      m.devices,
      m.schemaVersion,
      m.sha256,
      m.bytes,
      m.createdAt,
    ]),
  );
}

/**
 * What never leaves the station: TOTP secrets, PIN hashes, the supervisor's passphrase hash and lockout,
 * the roster (the head has its own), what this station imported from others and whom it trusts, and training
 * sessions' agents.
 */
const SCRUB = `
  UPDATE devices SET pin_hash = x'', secret_box = NULL, last_time_step = NULL;
  DELETE FROM settings WHERE key LIKE 'internal.%';
  DELETE FROM roster;
  UPDATE sessions SET agent_id = NULL WHERE mode = 'training';
  DELETE FROM agents WHERE id NOT IN (SELECT agent_id FROM devices)
    AND id NOT IN (SELECT agent_id FROM sessions WHERE agent_id IS NOT NULL);
  DELETE FROM station_devices;
  DELETE FROM station_sessions;
  DELETE FROM station_events;
  DELETE FROM stations WHERE is_self = 0;
  DELETE FROM trusted_stations;
  DELETE FROM station_session_counts;
  DELETE FROM station_error_counts;
`;

export interface BundleResult {
  file: string;
  manifest: BundleManifest;
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Who signs the bundle, as the manifest names it (the private key stays with the StationIdentity). */
export type BundleSigner = Pick<StationIdentity, 'stationId' | 'publicKey' | 'fingerprint'>;

/**
 * The slow part of a bundle, on any connection to the log (the kiosk's worker opens its own): snapshots with
 * VACUUM INTO (consistent while the kiosk keeps writing) into `scratch`, scrubs and compacts the copy so
 * nothing scrubbed survives in free pages, verifies it and counts it. The manifest's digest, size and
 * signature are left to writeBundle.
 */
export function snapshotLog(source: Database.Database, scratch: string, signer: BundleSigner, createdAt: number): BundleManifest {
  source.prepare('VACUUM INTO ?').run(scratch);
  const copy = new Database(scratch);
  try {
    copy.pragma('journal_mode = DELETE');
    copy.pragma('secure_delete = ON');
    copy.exec(SCRUB);
    copy.exec('VACUUM');
    const v = verifyLog(copy);
    const counts = copy
      .prepare<[], { s: number; d: number }>('SELECT (SELECT count(*) FROM sessions) AS s, (SELECT count(*) FROM devices) AS d')
      .get() ?? { s: 0, d: 0 };
    return {
      format: 'enrolment-kiosk-bundle',
      stationId: signer.stationId,
      stationName: readSettings(source).stationName,
      publicKey: signer.publicKey.toString('base64'),
      fingerprint: signer.fingerprint,
      firstEventId: v.firstEventId,
      lastEventId: v.lastEventId,
      headHash: v.headHash,
      events: v.events,
      sessions: counts.s,
      devices: counts.d,
      schemaVersion: schemaVersion(copy),
      sha256: '',
      bytes: 0,
      createdAt,
    };
  } finally {
    copy.close();
  }
}

/** Runs snapshotLog somewhere: in this thread by default, in the kiosk's worker from the console. */
export type Snapshotter = (scratch: string, createdAt: number) => Promise<BundleManifest>;

/**
 * Writes `<out>`: signs the head first (so the snapshot ends on a checkpoint), snapshots and scrubs
 * (snapshotLog, through `snapshot`), then writes magic + signed manifest + snapshot aside and renames it
 * into place (mode 0600).
 */
export async function writeBundle(
  db: Database.Database,
  identity: StationIdentity,
  out: string,
  now: () => number,
  snapshot: Snapshotter = async (scratch, createdAt) => snapshotLog(db, scratch, identity, createdAt),
): Promise<BundleResult> {
  db.transaction(() => {
    appendEvent(db, { sessionId: null, at: now(), step: null, type: 'bundle_written', details: null });
    writeCheckpoint(db, identity, 'bundle', now());
  }).immediate();
  // The unscrubbed snapshot stays in the data folder (0700), never on the drive: a drive pulled out
  // mid-way must not keep a copy with PIN hashes and sealed secrets.
  const scratch = join(dirname(db.name), `.bundle-${randomBytes(6).toString('hex')}.db`);
  const partial = `${out}.partial`;
  try {
    const manifest = await snapshot(scratch, now());
    manifest.sha256 = await sha256OfFile(scratch);
    manifest.bytes = (await stat(scratch)).size;
    const signed = { ...manifest, signature: identity.sign(manifestMessage(manifest)).toString('base64') };
    const json = Buffer.from(JSON.stringify(signed));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(json.length);
    const handle = await open(partial, 'w', 0o600);
    try {
      await handle.write(Buffer.concat([BUNDLE_MAGIC, length, json]));
      for await (const chunk of createReadStream(scratch)) await handle.write(chunk as Buffer);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(partial, out);
    return { file: out, manifest };
  } finally {
    await rm(scratch, { force: true });
    await rm(partial, { force: true });
  }
}

/** The newest schema this kiosk reads: a bundle from a newer kiosk is refused rather than misread. */
export const LATEST_SCHEMA = MIGRATIONS.length;

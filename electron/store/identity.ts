// The station identity: an Ed25519 key pair (from a 32-byte seed kept like the station key) and a station id in the log.
import { createHash, createPrivateKey, createPublicKey, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import type Database from 'better-sqlite3';
import { sql } from './statements';

/** What signs this station's checkpoints and bundles; the private key never leaves this object. */
export interface StationIdentity {
  stationId: string;
  /** The raw 32-byte Ed25519 public key. */
  publicKey: Buffer;
  fingerprint: string;
  sign(message: Buffer): Buffer;
}

export const IDENTITY_SEED_BYTES = 32;

// RFC 8410 section 7: an Ed25519 private key in PKCS#8 is this fixed prefix followed by the 32-byte seed.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
// RFC 8410 section 4: the SubjectPublicKeyInfo of an Ed25519 key is this prefix followed by the 32 raw bytes.
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Station ids are random UUIDs; anything else in a bundle is refused before it reaches SQL or a file name. */
export const STATION_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * SHA-256 of the public key, first 16 bytes, in groups of four hex digits: short enough to read out and
 * note on paper from the printed report, long enough (128 bits) that no one makes a key that matches it.
 */
export function fingerprintOf(publicKey: Buffer): string {
  const hex = createHash('sha256').update(publicKey).digest('hex').slice(0, 32);
  return hex.match(/.{4}/g)?.join('-') ?? hex;
}

/** "ABCD-1234..." as typed by a supervisor: case, spaces and separators do not matter. */
export function normaliseFingerprint(text: string): string {
  const hex = text.toLowerCase().replace(/[^0-9a-f]/g, '');
  return hex.match(/.{1,4}/g)?.join('-') ?? '';
}

/** Verifying a log checks one signature per session with the same few keys: each is parsed from DER once. */
const publicKeys = new Map<string, KeyObject>();

function publicKeyObject(raw: Buffer): KeyObject {
  const id = raw.toString('base64');
  let key = publicKeys.get(id);
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
    if (publicKeys.size > 64) publicKeys.clear();
    publicKeys.set(id, key);
  }
  return key;
}

export function verifySignature(publicKey: Buffer, message: Buffer, signature: Buffer): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    return verify(null, message, publicKeyObject(publicKey), signature);
  } catch {
    return false;
  }
}

/** The identity for `seed` (kept by a key store) and the station id recorded in the log. */
export function identityFromSeed(seed: Buffer, stationId: string): StationIdentity {
  if (seed.length !== IDENTITY_SEED_BYTES) throw new Error(`the identity seed must be ${IDENTITY_SEED_BYTES} bytes`);
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = Buffer.from(spki.subarray(spki.length - 32));
  return {
    stationId,
    publicKey,
    fingerprint: fingerprintOf(publicKey),
    sign: (message) => sign(null, message, privateKey),
  };
}

export interface StationRecord {
  stationId: string;
  name: string;
  publicKey: Buffer;
  isSelf: boolean;
  lastEventId: number;
  headHash: Buffer | null;
  importedAt: number | null;
}

interface StationRow {
  station_id: string;
  name: string;
  public_key: Buffer;
  is_self: number;
  last_event_id: number;
  head_hash: Buffer | null;
  imported_at: number | null;
}

export function rowToStation(row: StationRow): StationRecord {
  return {
    stationId: row.station_id,
    name: row.name,
    publicKey: row.public_key,
    isSelf: row.is_self === 1,
    lastEventId: row.last_event_id,
    headHash: row.head_hash,
    importedAt: row.imported_at,
  };
}

const SELF = sql<[], StationRow>('SELECT * FROM stations WHERE is_self = 1');
const INSERT_SELF = sql<[stationId: string, name: string, publicKey: Buffer]>(
  'INSERT INTO stations (station_id, name, public_key, is_self) VALUES (?, ?, ?, 1)',
);
const ALL_STATIONS = sql<[], StationRow>('SELECT * FROM stations ORDER BY is_self DESC, name, station_id');
const ONE_STATION = sql<[stationId: string], StationRow>('SELECT * FROM stations WHERE station_id = ?');

export function selfStation(db: Database.Database): StationRecord | null {
  const row = SELF.on(db).get();
  return row ? rowToStation(row) : null;
}

export function listStations(db: Database.Database): StationRecord[] {
  return ALL_STATIONS.on(db).all().map(rowToStation);
}

export function findStation(db: Database.Database, stationId: string): StationRecord | null {
  const row = ONE_STATION.on(db).get(stationId);
  return row ? rowToStation(row) : null;
}

/**
 * This station's identity from its seed. The first run records a new station id and the public key (in
 * `stations`, and as a chained `station_identity` event). A seed that does not match the recorded key is
 * refused: signing with another key would make every later checkpoint look forged.
 */
export function establishIdentity(
  db: Database.Database,
  seed: Buffer,
  stationName: string,
  at: number,
  append: (event: { type: 'station_identity'; at: number; details: Record<string, string> }) => void,
): StationIdentity {
  const recorded = selfStation(db);
  if (recorded) {
    const identity = identityFromSeed(seed, recorded.stationId);
    if (!identity.publicKey.equals(recorded.publicKey)) {
      throw new Error('the station identity key does not match the public key recorded in the log');
    }
    return identity;
  }
  const identity = identityFromSeed(seed, randomUUID());
  db.transaction(() => {
    INSERT_SELF.on(db).run(identity.stationId, stationName, identity.publicKey);
    append({
      type: 'station_identity',
      at,
      details: { stationId: identity.stationId, publicKey: identity.publicKey.toString('base64'), fingerprint: identity.fingerprint },
    });
  }).immediate();
  return identity;
}

export interface TrustedStation {
  fingerprint: string;
  name: string;
  trustedAt: number;
}

const IS_TRUSTED = sql<[publicKey: Buffer]>('SELECT 1 FROM trusted_stations WHERE public_key = ?');
const TRUST = sql<[publicKey: Buffer, name: string, trustedAt: number]>(`INSERT INTO trusted_stations (public_key, name, trusted_at) VALUES (?, ?, ?)
  ON CONFLICT (public_key) DO UPDATE SET name = excluded.name`);
const ALL_TRUSTED = sql<[], { public_key: Buffer; name: string; trusted_at: number }>(
  'SELECT public_key, name, trusted_at FROM trusted_stations ORDER BY name, trusted_at',
);

/** Whether bundles signed by `publicKey` are merged here (the head's trust list, migration 005). */
export function isTrusted(db: Database.Database, publicKey: Buffer): boolean {
  return IS_TRUSTED.on(db).get(publicKey) !== undefined;
}

/** The supervisor compared the fingerprint with the one on that station's console: its bundles are merged from now on. */
export function trustStation(db: Database.Database, publicKey: Buffer, name: string, at: number): void {
  TRUST.on(db).run(publicKey, name, at);
}

export function listTrusted(db: Database.Database): TrustedStation[] {
  return ALL_TRUSTED.on(db).all().map((r) => ({
    fingerprint: fingerprintOf(r.public_key),
    name: r.name,
    trustedAt: r.trusted_at,
  }));
}

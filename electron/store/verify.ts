// Verification of a log (a station's kiosk.db or a bundle's snapshot): links, signed checkpoints, purge anchor, session rows.
import { hash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { sqlEventList } from '../../shared/event-types';
import type { VerifyProblem } from '../../shared/supervisor-contract';
import { CHECKPOINT_EVENT, SIGNED_EVENT_TYPES, checkpointMessage, type CheckpointClaim } from './checkpoints';
import { readAnchor } from './events';
import { fingerprintOf, normaliseFingerprint, verifySignature } from './identity';
import type { SessionRecord } from '../engine/domain';
import { rowToSession } from './sessions';
import { sql } from './statements';

export interface LogVerification {
  ok: boolean;
  events: number;
  firstEventId: number | null;
  lastEventId: number | null;
  /** Hash of the last event (or of the anchor on an empty log), hex. */
  headHash: string;
  purgedThrough: number;
  checkpoints: number;
  /** Who signed the checkpoints, from the checkpoints themselves. */
  station: { stationId: string; publicKey: string; fingerprint: string } | null;
  /** Events after the last checkpoint: normal while a session runs, a problem once one of them closes a session. */
  unsignedAfter: number;
  problem: VerifyProblem | null;
}

export interface VerifyOptions {
  /** The fingerprint the supervisor noted from a printed report: another key is then a problem, not a new station. */
  fingerprint?: string;
  /** The public key already known for this station (a head station's import). */
  publicKey?: Buffer;
  /** Called every few thousand events with how many were walked: progress, and a cancel that throws. */
  onProgress?: (events: number) => void;
  /** Check every checkpoint's signature, not only the last one's: how a failing log names its first forged checkpoint. */
  everySignature?: boolean;
}

type SessionRow = Parameters<typeof rowToSession>[0];

/**
 * The bytes events.ts hashEvent hashes, built by SQLite: the previous hash, then the event's fields as one JSON
 * array. SQLite's json_array writes every value a column can hold as JSON.stringify does (tests/unit/store/
 * verify-preimage.test.ts compares the two over every character of the Basic Multilingual Plane and more), so
 * the walk makes one string per event in C instead of a row object, a JSON string and a hash object in
 * JavaScript. A value JSON.stringify would write otherwise (a BLOB, which json_array refuses) is never one the
 * engine writes: such a log fails, never passes. NULL when the stored previous hash is not 32 bytes long.
 */
export const CHAIN_PREIMAGE = `CASE WHEN typeof(prev_hash) = 'blob' AND length(prev_hash) = 32
  THEN CAST(prev_hash || json_array(id, session_id, at, step, type, code, details) AS BLOB) END`;

/** One event of the walk: its id, session, type, the details verify reads (checkpoints, session ends) and its preimage. */
type ChainRow = [id: number, sessionId: number | null, type: string, details: string | null, preimage: Buffer | null];

const ALL_EVENTS = sql<[], ChainRow>(`SELECT id, session_id, type,
    CASE WHEN type IN (${sqlEventList([CHECKPOINT_EVENT, 'session_ended'])}) THEN details END,
    ${CHAIN_PREIMAGE}
  FROM events ORDER BY id`);

/** SHA-256 in one call: at a million events, the call's own cost is most of what hashing costs. */
export const sha256 = (bytes: Buffer): Buffer => hash('sha256', bytes, 'buffer');
const ALL_SESSIONS = 'SELECT * FROM sessions ORDER BY id';

type Details = Record<string, unknown>;

/** Often enough for a progress bar and a prompt cancel, rarely enough to cost nothing per event. */
export const PROGRESS_EVERY = 4096;

function parseDetails(details: string | null): Details {
  if (details === null) return {};
  try {
    const value: unknown = JSON.parse(details);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Details) : {};
  } catch {
    return {};
  }
}

function claimOf(details: Details, headHash: string): { claim: CheckpointClaim; signature: Buffer } | null {
  const { stationId, publicKey, through, count, purgedThrough, anchorHash, reason, signature } = details;
  if (
    typeof stationId !== 'string' ||
    typeof publicKey !== 'string' ||
    typeof through !== 'number' ||
    typeof count !== 'number' ||
    typeof purgedThrough !== 'number' ||
    typeof anchorHash !== 'string' ||
    typeof reason !== 'string' ||
    typeof signature !== 'string'
  ) {
    return null;
  }
  return {
    claim: { stationId, publicKey, through, headHash, count, purgedThrough, anchorHash, reason },
    signature: Buffer.from(signature, 'base64'),
  };
}

/** The figures of a session row that its closing event vouches for (store/sessions sessionEndDetails). */
const COVERED_FIELDS = ['outcome', 'mode', 'startedAt', 'day', 'endedAt', 'durationMs', 'furthestStep', 'signInMethod'] as const;

function sessionMatches(row: SessionRecord, ended: Details): boolean {
  // A log older than the signed chain recorded only the outcome; whatever the event holds must match.
  return COVERED_FIELDS.every((field) => !(field in ended) || ended[field] === row[field]);
}

/**
 * What one signature proves. Every checkpoint's claim is checked against the chain (its head, count, anchor
 * and key), and the chain's links are all checked; then the LAST checkpoint's signature alone is checked: it
 * signs the head hash, which depends on every event before it, earlier checkpoints included, so no event up
 * to it can differ from what the key's holder signed. Checking each earlier signature would prove nothing
 * more and cost two thirds of the walk (one Ed25519 verify per session). Only when the last signature fails
 * is the log walked again checking each, to name the first checkpoint that no longer holds.
 *
 * Walks the whole log once. Reports the first problem found: a broken link, a checkpoint that does not
 * match the chain or its key, a purge anchor moved after the last checkpoint, a stretch closing sessions
 * with no checkpoint after it, or a session row that its closing event does not vouch for.
 */
export function verifyLog(db: Database.Database, options: VerifyOptions = {}): LogVerification {
  const anchor = readAnchor(db);
  let expectedId = anchor.purgedThrough + 1;
  let expectedHash = anchor.hash;
  let count = 0;
  let firstEventId: number | null = null;
  let lastEventId: number | null = null;
  let checkpoints = 0;
  let key: { stationId: string; publicKey: string } | null = null;
  let lastClaim: CheckpointClaim | null = null;
  let lastSigned: { claim: CheckpointClaim; signature: Buffer } | null = null;
  let unsignedAfter = 0;
  let firstUnsignedClose: number | null = null;
  const ended = new Map<number, Details>();
  const started = new Set<number>();

  const result = (problem: VerifyProblem | null): LogVerification => ({
    ok: problem === null,
    events: count,
    firstEventId,
    lastEventId,
    headHash: expectedHash.toString('hex'),
    purgedThrough: anchor.purgedThrough,
    checkpoints,
    station: key ? { ...key, fingerprint: fingerprintOf(Buffer.from(key.publicKey, 'base64')) } : null,
    unsignedAfter,
    problem,
  });

  const walk = ALL_EVENTS.on(db).raw(true);
  for (const [id, sessionId, type, details, preimage] of walk.iterate()) {
    if (id !== expectedId) return result({ code: 'link_missing', eventId: id, expected: expectedId });
    // The preimage starts with the stored previous hash: comparing its first 32 bytes is the link check.
    if (preimage === null || expectedHash.compare(preimage, 0, 32) !== 0) {
      return result({ code: id === anchor.purgedThrough + 1 ? 'anchor_mismatch' : 'link_mismatch', eventId: id });
    }
    if (type === CHECKPOINT_EVENT) {
      const parsed = claimOf(parseDetails(details), expectedHash.toString('hex'));
      if (!parsed) return result({ code: 'signature_invalid', eventId: id });
      const { claim, signature } = parsed;
      if (key && (key.publicKey !== claim.publicKey || key.stationId !== claim.stationId)) {
        return result({ code: 'key_changed', eventId: id });
      }
      if (options.everySignature && !verifySignature(Buffer.from(claim.publicKey, 'base64'), checkpointMessage(claim), signature)) {
        return result({ code: 'signature_invalid', eventId: id });
      }
      lastSigned = { claim, signature };
      key ??= { stationId: claim.stationId, publicKey: claim.publicKey };
      if (!claimFits(claim, id, count, anchor, lastClaim)) return result({ code: 'count_mismatch', eventId: id });
      lastClaim = claim;
      checkpoints += 1;
      unsignedAfter = 0;
      firstUnsignedClose = null;
    } else {
      unsignedAfter += 1;
      if (firstUnsignedClose === null && SIGNED_EVENT_TYPES.has(type)) firstUnsignedClose = id;
    }
    if (sessionId !== null && type === 'session_ended') ended.set(sessionId, parseDetails(details));
    if (sessionId !== null && type === 'session_started') started.add(sessionId);
    firstEventId ??= id;
    lastEventId = id;
    expectedHash = sha256(preimage);
    expectedId += 1;
    count += 1;
    if (options.onProgress && count % PROGRESS_EVERY === 0) options.onProgress(count);
  }

  if (lastSigned && !options.everySignature) {
    const { claim, signature } = lastSigned;
    if (!verifySignature(Buffer.from(claim.publicKey, 'base64'), checkpointMessage(claim), signature)) {
      return verifyLog(db, { ...options, everySignature: true });
    }
  }
  if (key && options.publicKey && !options.publicKey.equals(Buffer.from(key.publicKey, 'base64'))) {
    return result({ code: 'key_changed', eventId: null });
  }
  if (options.fingerprint !== undefined) {
    const signer = key ? fingerprintOf(Buffer.from(key.publicKey, 'base64')) : null;
    if (signer !== normaliseFingerprint(options.fingerprint)) return result({ code: 'fingerprint_mismatch', eventId: null });
  }
  // A purge moves the anchor and then signs it: an anchor no checkpoint agrees with was moved by someone else.
  if (count > 0 || anchor.purgedThrough > 0) {
    const lastPurged = lastClaim?.purgedThrough ?? 0;
    const lastAnchorHash = lastClaim?.anchorHash ?? Buffer.alloc(32).toString('hex');
    if (lastPurged !== anchor.purgedThrough || lastAnchorHash !== anchor.hash.toString('hex')) {
      return result({ code: 'anchor_moved', eventId: anchor.purgedThrough + 1 });
    }
  }
  if (firstUnsignedClose !== null && lastEventId !== null) {
    return result({ code: 'unsigned', eventId: firstUnsignedClose, from: firstUnsignedClose, to: lastEventId });
  }

  const rowProblem = sessionRowProblem(db, ended, started);
  if (rowProblem) return result(rowProblem);
  return result(null);
}

/** The first session row its closing event does not vouch for, or a closing event with no row; null if none. */
function sessionRowProblem(db: Database.Database, ended: ReadonlyMap<number, Details>, started: ReadonlySet<number>): VerifyProblem | null {
  const rows = new Set<number>();
  for (const row of db.prepare<[], SessionRow>(ALL_SESSIONS).iterate()) {
    const session = rowToSession(row);
    rows.add(session.id);
    const closing = ended.get(session.id);
    if (session.outcome === null) {
      if (!started.has(session.id) && !closing) return { code: 'session_not_covered', eventId: null, sessionId: session.id };
      continue;
    }
    if (!closing) return { code: 'session_not_covered', eventId: null, sessionId: session.id };
    if (!sessionMatches(session, closing)) return { code: 'session_mismatch', eventId: null, sessionId: session.id };
  }
  for (const sessionId of ended.keys()) {
    if (!rows.has(sessionId)) return { code: 'session_row_missing', eventId: null, sessionId };
  }
  return null;
}

/**
 * Whether a checkpoint's claim agrees with the chain where it stands (event `id`, after `count` events): it
 * covers every event before it, counts them from its anchor, never moves the anchor back, and, under the
 * log's current anchor, claims that anchor.
 */
function claimFits(claim: CheckpointClaim, id: number, count: number, anchor: { purgedThrough: number; hash: Buffer }, previous: CheckpointClaim | null): boolean {
  const sameAnchor = claim.purgedThrough === anchor.purgedThrough;
  return !(
    claim.through !== id - 1 ||
    claim.count !== claim.through - claim.purgedThrough ||
    claim.purgedThrough > anchor.purgedThrough ||
    (previous !== null && claim.purgedThrough < previous.purgedThrough) ||
    (sameAnchor && (claim.count !== count || claim.anchorHash !== anchor.hash.toString('hex')))
  );
}

/** One line in English for the command line and the service log; the console translates the problem code itself. */
export function describeVerification(name: string, v: LogVerification): string {
  const signer = v.station ? `station ${v.station.stationId}, key fingerprint ${v.station.fingerprint}` : 'no station key';
  const summary = `${v.events} events, head ${v.headHash}, ${v.checkpoints} signed checkpoints (${signer})`;
  if (!v.problem) {
    const tail = v.unsignedAfter > 0 ? `; ${v.unsignedAfter} events since the last checkpoint (no session closed in them)` : '';
    return `${name}: chain intact and signed, ${summary}${tail}`;
  }
  return `${name}: ${describeProblem(v.problem)}. ${summary}`;
}

export function describeProblem(p: VerifyProblem): string {
  switch (p.code) {
    case 'link_missing':
      return `chain broken at event ${p.eventId}: expected event ${p.expected} before it (missing)`;
    case 'link_mismatch':
      return `chain broken at event ${p.eventId}: hash of event ${(p.eventId ?? 1) - 1} does not match (edited or removed)`;
    case 'anchor_mismatch':
      return `chain broken at event ${p.eventId}: hash of the purge anchor does not match (edited or removed)`;
    case 'signature_invalid':
      return `checkpoint at event ${p.eventId} is not signed by the station's key for this chain (the log was rewritten)`;
    case 'key_changed':
      return p.eventId === null
        ? 'checkpoints are signed by another key than the one known for this station'
        : `checkpoint at event ${p.eventId} is signed by another key than the earlier ones`;
    case 'fingerprint_mismatch':
      return 'checkpoints are not signed by the key with the expected fingerprint (the key was replaced)';
    case 'count_mismatch':
      return `checkpoint at event ${p.eventId} does not match the log's event count or purge anchor`;
    case 'anchor_moved':
      return `the purge anchor (events up to ${(p.eventId ?? 1) - 1} removed) was moved after the last signed checkpoint`;
    case 'unsigned':
      return `events ${p.from} to ${p.to} close sessions but no signed checkpoint follows them (unsigned stretch)`;
    case 'session_not_covered':
      return `session ${p.sessionId} has a row but no event in the chain vouches for it`;
    case 'session_mismatch':
      return `session ${p.sessionId}'s row does not match its closing event in the chain (edited)`;
    case 'session_row_missing':
      return `session ${p.sessionId} is closed in the chain but its row was removed`;
  }
}

// Signed checkpoints: at every session end, purge, export, bundle and import the station signs its chain head, event count and purge anchor.
import type Database from 'better-sqlite3';
import type { EventType } from '../../shared/event-types';
import type { NewEvent } from '../engine/domain';
import { appendEvent, chainHead, readAnchor } from './events';
import type { StationIdentity } from './identity';
import { sessionEndDetails } from './sessions';
import { sql } from './statements';

export const CHECKPOINT_EVENT = 'checkpoint' satisfies EventType;

export const CHECKPOINT_REASONS = ['open', 'session', 'purge', 'export', 'bundle', 'import', 'close'] as const;
export type CheckpointReason = (typeof CHECKPOINT_REASONS)[number];

/**
 * Event types always followed by a checkpoint: finding one after the last checkpoint means a checkpoint was
 * removed (or never written) and that stretch of the log is not vouched for by the station's key.
 */
export const SIGNED_EVENT_TYPES: ReadonlySet<string> = new Set<EventType>(['session_ended', 'retention_purge', 'bundle_imported']);

/** What a checkpoint vouches for; the head hash is the checkpoint event's own previous hash. */
export interface CheckpointClaim {
  stationId: string;
  /** Base64 of the raw Ed25519 public key. */
  publicKey: string;
  /** The id of the last event covered (the one just before the checkpoint). */
  through: number;
  headHash: string;
  /** Events in the log after the purge anchor, up to `through`. */
  count: number;
  purgedThrough: number;
  anchorHash: string;
  reason: string;
}

/** The exact bytes signed: a fixed-order JSON array, so no field can be reordered or added under the signature. */
export function checkpointMessage(c: CheckpointClaim): Buffer {
  return Buffer.from(
    JSON.stringify([
      'enrolment-kiosk checkpoint v1',
      c.stationId,
      c.publicKey,
      c.through,
      c.headHash,
      c.count,
      c.purgedThrough,
      c.anchorHash,
      c.reason,
    ]),
  );
}

const LAST_TYPE = sql<[], { type: string }>('SELECT type FROM events ORDER BY id DESC LIMIT 1');

/**
 * Appends a signed checkpoint over the current head (inside the caller's transaction when there is one).
 * Nothing is written when the newest event already is a checkpoint: it vouches for the same head.
 */
export function writeCheckpoint(db: Database.Database, identity: StationIdentity, reason: CheckpointReason, at: number): void {
  const last = LAST_TYPE.on(db).get();
  if (!last || last.type === CHECKPOINT_EVENT) return;
  const head = chainHead(db);
  const anchor = readAnchor(db);
  const claim: CheckpointClaim = {
    stationId: identity.stationId,
    publicKey: identity.publicKey.toString('base64'),
    through: head.id,
    headHash: head.hash.toString('hex'),
    count: head.id - anchor.purgedThrough,
    purgedThrough: anchor.purgedThrough,
    anchorHash: anchor.hash.toString('hex'),
    reason,
  };
  const signature = identity.sign(checkpointMessage(claim)).toString('base64');
  // The head hash is not stored: it is the checkpoint's own prev_hash, which the chain already holds.
  const details = {
    stationId: claim.stationId,
    publicKey: claim.publicKey,
    through: claim.through,
    count: claim.count,
    purgedThrough: claim.purgedThrough,
    anchorHash: claim.anchorHash,
    reason,
    signature,
  };
  appendEvent(db, { sessionId: null, at, step: null, type: CHECKPOINT_EVENT, details });
}

/**
 * Appends an event through the signing path: a session's end gets its figures and a checkpoint after it.
 * Everything else is appended as it is.
 */
export function appendSigned(db: Database.Database, identity: StationIdentity | null, event: NewEvent): void {
  if (event.type !== 'session_ended' || event.sessionId === null) {
    appendEvent(db, event);
    return;
  }
  appendEvent(db, { ...event, details: { ...event.details, ...sessionEndDetails(db, event.sessionId) } });
  if (identity) writeCheckpoint(db, identity, 'session', event.at);
}

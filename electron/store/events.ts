// The append-only event log: each event carries the SHA-256 of the one before it, so an edit or a deletion breaks the chain.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { NewEvent } from '../engine/domain';
import { sql } from './statements';

/** What the engine records; details never hold personal data (PRODUCT.md: e-mail and device name live elsewhere). */
export interface LogEvent {
  id: number;
  sessionId: number | null;
  at: number;
  step: string | null;
  type: string;
  code: string | null;
  details: string | null;
  prevHash: Buffer;
}

export interface EventRow {
  id: number;
  session_id: number | null;
  at: number;
  step: string | null;
  type: string;
  code: string | null;
  details: string | null;
  prev_hash: Buffer;
}

export function rowToEvent(row: EventRow): LogEvent {
  return {
    id: row.id,
    sessionId: row.session_id,
    at: row.at,
    step: row.step,
    type: row.type,
    code: row.code,
    details: row.details,
    prevHash: row.prev_hash,
  };
}

/** The chain's start: the first event of a fresh log points at 32 zero bytes. */
export const GENESIS_HASH = Buffer.alloc(32);

/** SHA-256 over the previous hash and every field of the event, id included, so renumbering is detected too. */
export function hashEvent(event: LogEvent): Buffer {
  return createHash('sha256')
    .update(event.prevHash)
    .update(JSON.stringify([event.id, event.sessionId, event.at, event.step, event.type, event.code, event.details]))
    .digest();
}

const LAST_EVENT = sql<[], EventRow>('SELECT id, session_id, at, step, type, code, details, prev_hash FROM events ORDER BY id DESC LIMIT 1');
const ANCHOR = sql<[], { purged_through: number; hash: Buffer }>('SELECT purged_through, hash FROM log_anchor WHERE id = 1');
const INSERT_EVENT = sql<
  [id: number, sessionId: number | null, at: number, step: string | null, type: string, code: string | null, details: string | null, prevHash: Buffer]
>('INSERT INTO events (id, session_id, at, step, type, code, details, prev_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');

export interface ChainAnchor {
  purgedThrough: number;
  hash: Buffer;
}

export function readAnchor(db: Database.Database): ChainAnchor {
  const row = ANCHOR.on(db).get();
  return row ? { purgedThrough: row.purged_through, hash: row.hash } : { purgedThrough: 0, hash: GENESIS_HASH };
}

/** The id and hash the next event must follow. Read from the file each time, so a rolled-back append leaves no stale head. */
export function chainHead(db: Database.Database): { id: number; hash: Buffer } {
  const row = LAST_EVENT.on(db).get();
  if (row) return { id: row.id, hash: hashEvent(rowToEvent(row)) };
  const anchor = readAnchor(db);
  return { id: anchor.purgedThrough, hash: anchor.hash };
}

const LAST_EVENT_AT = sql<[], { at: number }>('SELECT at FROM events ORDER BY id DESC LIMIT 1');

/** When the newest event was written (station clock, ms), or null on an empty log: to notice the clock going back. */
export function lastEventAt(db: Database.Database): number | null {
  const row = LAST_EVENT_AT.on(db).get();
  return row?.at ?? null;
}

/** Appends one event and returns its id. Call inside the caller's transaction to make it part of one atomic write. */
export function appendEvent(db: Database.Database, event: NewEvent): number {
  const head = chainHead(db);
  const id = head.id + 1;
  const details = event.details ? JSON.stringify(event.details) : null;
  INSERT_EVENT.on(db).run(
    id,
    event.sessionId,
    event.at,
    event.step,
    event.type,
    event.code ?? null,
    details,
    head.hash,
  );
  return id;
}

/**
 * Appends many events in one transaction, chaining them in memory (one head read instead of one per
 * event): for imports and for generating the benchmark's log. Returns the last id.
 */
export function appendEvents(db: Database.Database, events: Iterable<NewEvent>): number {
  return db.transaction(() => {
    let { id, hash } = chainHead(db);
    const insert = INSERT_EVENT.on(db);
    for (const e of events) {
      const next: LogEvent = {
        id: id + 1,
        sessionId: e.sessionId,
        at: e.at,
        step: e.step,
        type: e.type,
        code: e.code ?? null,
        details: e.details ? JSON.stringify(e.details) : null,
        prevHash: hash,
      };
      insert.run(next.id, next.sessionId, next.at, next.step, next.type, next.code, next.details, next.prevHash);
      hash = hashEvent(next);
      id = next.id;
    }
    return id;
  }).immediate();
}

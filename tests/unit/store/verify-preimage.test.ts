// verifyLog hashes what SQLite's json_array builds: for every value a kiosk writes, the same bytes as the published hashEvent, and a log whose text is unusual still verifies.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { appendEvents, hashEvent, rowToEvent } from '../../../electron/store/events';
import { migrate } from '../../../electron/store/migrate';
import { CHAIN_PREIMAGE, sha256, verifyLog } from '../../../electron/store/verify';

type EventRow = Parameters<typeof rowToEvent>[0] & { preimage: Buffer | null };

/** Every character of the Basic Multilingual Plane but the lone surrogates (UTF-8 cannot hold them), then some beyond. */
function everyCharacter(): string[] {
  const out: string[] = [];
  for (let c = 0; c < 0x10000; c += 1) if (c < 0xd800 || c > 0xdfff) out.push(String.fromCharCode(c));
  return [...out, '\u{1F600}', '\u{10FFFF}', 'a"b\\c/d', '{"x":"\\u0001\\n"}', '', '\u2028\u2029\u007f'];
}

function logWith(texts: readonly string[]): Database.Database {
  const db = new Database(':memory:');
  migrate(db);
  appendEvents(
    db,
    texts.map((text, i) => ({
      sessionId: i % 3 === 0 ? null : i * 7,
      at: i % 5 === 0 ? Number.MAX_SAFE_INTEGER : 1_700_000_000_000 + i,
      step: text,
      type: 'step',
      code: i % 2 === 0 ? null : text,
      details: { text, n: -i, big: Number.MIN_SAFE_INTEGER },
    })),
  );
  return db;
}

describe("verify's preimage built in SQL", () => {
  it('is the bytes hashEvent hashes, for every character and the integer bounds', () => {
    const db = logWith(everyCharacter());
    const rows = db.prepare<[], EventRow>(`SELECT *, ${CHAIN_PREIMAGE} AS preimage FROM events ORDER BY id`).all();
    expect(rows.length).toBeGreaterThan(63_000);
    const differing = rows.filter((row) => !row.preimage || !sha256(row.preimage).equals(hashEvent(rowToEvent(row))));
    expect(differing.map((row) => row.id)).toEqual([]);
    // And so the whole log verifies: each link is checked against these hashes.
    expect(verifyLog(db).problem).toBeNull();
    db.close();
  });

  it('is null for a previous hash that is not 32 bytes, which verify names as a broken link', () => {
    const db = logWith(['a', 'b', 'c']);
    db.exec('DROP TRIGGER events_append_only_update');
    // The CHECK constraint holds what the kiosk writes; a file edited outside SQLite's checks need not.
    db.pragma('ignore_check_constraints = ON');
    db.prepare('UPDATE events SET prev_hash = substr(prev_hash, 1, 31) WHERE id = 2').run();
    expect(db.prepare(`SELECT ${CHAIN_PREIMAGE} AS p FROM events WHERE id = 2`).pluck().get()).toBeNull();
    expect(verifyLog(db).problem).toEqual({ code: 'link_mismatch', eventId: 2 });
    db.close();
  });
});

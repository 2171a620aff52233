// The signed chain against someone holding the log file but not the station's key: every rewrite is named.
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointMessage } from '../../../electron/store/checkpoints';
import { GENESIS_HASH, hashEvent, rowToEvent } from '../../../electron/store/events';
import { fingerprintOf } from '../../../electron/store/identity';
import { describeVerification, verifyLog } from '../../../electron/store/verify';
import { enrol, testWithPin, toScanQr } from '../engine/flow';
import { EMAIL, openTestKiosk, PIN_OK, SUPERVISOR_PASSPHRASE, type TestKiosk } from '../engine/harness';

let k: TestKiosk | null = null;
afterEach(() => {
  k?.close();
  k = null;
});

/** A station's day: one completed enrolment, one refused PIN then given up, then the kiosk closed. */
async function stationDay(): Promise<{ dataDir: string; fingerprint: string }> {
  k = await openTestKiosk();
  const { secret } = await enrol(k);
  await testWithPin(k, secret);
  await k.call('next');
  await toScanQr(k, 'paul.durand@agriculture.gouv.fr', 'phone-2');
  await k.call('next');
  await k.refused('confirmDevice', { pin: '9999', code: '000000' });
  await k.call('cancel');
  const dataDir = k.dataDir;
  k.kiosk.close();
  const db = openDb(dataDir, true);
  const fingerprint = verifyLog(db).station?.fingerprint ?? '';
  db.close();
  return { dataDir, fingerprint };
}

function openDb(dataDir: string, readonly = false): Database.Database {
  return new Database(join(dataDir, 'kiosk.db'), { readonly });
}

type EventRow = Parameters<typeof rowToEvent>[0];

/** The published algorithm, run by someone with the file: every prev_hash recomputed from the anchor on. */
function recomputeChain(db: Database.Database): void {
  const anchor = db.prepare('SELECT hash FROM log_anchor WHERE id = 1').get() as { hash: Buffer } | undefined;
  let prev: Buffer = anchor?.hash ?? GENESIS_HASH;
  const update = db.prepare('UPDATE events SET prev_hash = ? WHERE id = ?');
  for (const row of db.prepare('SELECT * FROM events ORDER BY id').all() as EventRow[]) {
    const event = { ...rowToEvent(row), prevHash: prev };
    update.run(prev, event.id);
    prev = hashEvent(event);
  }
}

function dropTriggers(db: Database.Database): void {
  db.exec('DROP TRIGGER events_append_only_update; DROP TRIGGER events_append_only_delete;');
}

/** The rewrite: an error becomes a plain step, every session completed, the chain recomputed. */
function hideTheFailure(db: Database.Database): void {
  dropTriggers(db);
  db.exec("UPDATE events SET type = 'step', code = NULL WHERE type = 'error'");
  db.exec("UPDATE sessions SET outcome = 'completed'");
  db.exec(`UPDATE events SET details = json_set(details, '$.outcome', 'completed') WHERE type = 'session_ended'`);
  recomputeChain(db);
}

describe('signed chain', () => {
  it('a station keeps its identity seed in a 0600 file, and a day verifies intact, signed, with its fingerprint', async () => {
    const { dataDir, fingerprint } = await stationDay();
    const seed = join(dataDir, 'station-identity.key');
    expect(existsSync(seed)).toBe(true);
    if (process.platform !== 'win32') expect(statSync(seed).mode & 0o777).toBe(0o600);
    const db = openDb(dataDir, true);
    const v = verifyLog(db, { fingerprint: fingerprint.toUpperCase() });
    expect(v).toMatchObject({ ok: true, problem: null, unsignedAfter: 0 });
    expect(v.checkpoints).toBeGreaterThanOrEqual(3);
    expect(fingerprint).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){7}$/);
    const self = db.prepare('SELECT station_id, public_key FROM stations WHERE is_self = 1').get() as {
      station_id: string;
      public_key: Buffer;
    };
    expect(v.station).toMatchObject({ stationId: self.station_id, fingerprint: fingerprintOf(self.public_key) });
    expect(describeVerification('kiosk.db', v)).toMatch(/chain intact and signed/);
    db.close();
  });

  it('the rewrite with the published algorithm (error hidden, outcomes completed, chain recomputed) is reported broken', async () => {
    const { dataDir } = await stationDay();
    const db = openDb(dataDir);
    const before = db.prepare("SELECT count(*) AS n FROM events WHERE type = 'error'").get() as { n: number };
    expect(before.n).toBeGreaterThan(0);
    hideTheFailure(db);
    const v = verifyLog(db);
    expect(v.ok).toBe(false);
    expect(v.problem?.code).toBe('signature_invalid');
    expect(describeVerification('kiosk.db', v)).toMatch(/checkpoint at event \d+ is not signed by the station's key/);
    db.close();
  });

  it('the same rewrite with every checkpoint removed leaves an unsigned stretch, named', async () => {
    const { dataDir } = await stationDay();
    const db = openDb(dataDir);
    hideTheFailure(db);
    db.exec("DELETE FROM events WHERE type = 'checkpoint'");
    // Renumbered so no id is missing, then re-chained: the links all hold.
    const ids = (db.prepare('SELECT id FROM events ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    ids.forEach((id, i) => db.prepare('UPDATE events SET id = ? WHERE id = ?').run(i + 1, id));
    recomputeChain(db);
    const v = verifyLog(db);
    expect(v.problem).toMatchObject({ code: 'unsigned' });
    expect(describeVerification('kiosk.db', v)).toMatch(/events \d+ to \d+ close sessions but no signed checkpoint follows/);
    db.close();
  });

  it.each([
    ['an outcome changed in the sessions table alone no longer goes unnoticed', "UPDATE sessions SET outcome = 'completed'", 'session_mismatch'],
    ['a session row removed is named', 'DELETE FROM sessions WHERE id = 2', 'session_row_missing'],
  ])('%s', async (_name, tamper, code) => {
    const { dataDir } = await stationDay();
    const db = openDb(dataDir);
    db.exec(tamper);
    expect(verifyLog(db).problem).toMatchObject({ code, sessionId: 2 });
    db.close();
  });

  it('moving the purge anchor to hide a prefix is caught', async () => {
    const { dataDir } = await stationDay();
    const db = openDb(dataDir);
    dropTriggers(db);
    const cut = db.prepare("SELECT min(id) AS id FROM events WHERE type = 'session_ended'").get() as { id: number };
    const row = db.prepare('SELECT * FROM events WHERE id = ?').get(cut.id) as EventRow;
    db.prepare('INSERT INTO log_anchor (id, purged_through, hash) VALUES (1, ?, ?)').run(cut.id, hashEvent(rowToEvent(row)));
    db.prepare('DELETE FROM events WHERE id <= ?').run(cut.id);
    db.prepare('DELETE FROM sessions WHERE id = 1').run();
    const v = verifyLog(db);
    expect(v.problem?.code).toBe('anchor_moved');
    db.close();
  });

  it('a log re-signed with another key passes alone, but not against the fingerprint the supervisor noted', async () => {
    const { dataDir, fingerprint } = await stationDay();
    const db = openDb(dataDir);
    hideTheFailure(db);
    // The forger's own key: every checkpoint re-signed over the rewritten chain.
    const forged = generateKeyPairSync('ed25519');
    const raw = forged.publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
    let prev: Buffer = GENESIS_HASH;
    for (const r of db.prepare('SELECT * FROM events ORDER BY id').all() as EventRow[]) {
      const event = { ...rowToEvent(r), prevHash: prev };
      if (event.type === 'checkpoint' && event.details) {
        const d = JSON.parse(event.details) as Record<string, string | number>;
        const claim = {
          stationId: String(d.stationId),
          publicKey: raw.toString('base64'),
          through: Number(d.through),
          headHash: prev.toString('hex'),
          count: Number(d.count),
          purgedThrough: Number(d.purgedThrough),
          anchorHash: String(d.anchorHash),
          reason: String(d.reason),
        };
        const signature = sign(null, checkpointMessage(claim), forged.privateKey).toString('base64');
        event.details = JSON.stringify({ ...d, publicKey: claim.publicKey, signature });
        db.prepare('UPDATE events SET details = ? WHERE id = ?').run(event.details, event.id);
      }
      db.prepare('UPDATE events SET prev_hash = ? WHERE id = ?').run(prev, event.id);
      prev = hashEvent(event);
    }
    expect(verifyLog(db).ok).toBe(true);
    expect(verifyLog(db).station?.fingerprint).not.toBe(fingerprint);
    expect(verifyLog(db, { fingerprint }).problem?.code).toBe('fingerprint_mismatch');
    db.close();
  });

  it('a legitimate purge moves the anchor and signs it: the log still verifies, its sessions and their events gone together', async () => {
    k = await openTestKiosk();
    const { secret } = await enrol(k);
    await testWithPin(k, secret);
    await k.call('next');
    k.clock.advance(200 * 86_400_000);
    const { secret: later } = await enrol(k, 'paul.durand@agriculture.gouv.fr', 'phone-2');
    await testWithPin(k, later);
    await k.call('next');
    const { sup } = await import('../supervisor/harness');
    await sup(k, 'openConsole', { passphrase: SUPERVISOR_PASSPHRASE });
    // The hourly retention may already have run: either way the first session is gone after this.
    await sup(k, 'purgeNow');
    const db = openDb(k.dataDir, true);
    const v = verifyLog(db);
    expect(v).toMatchObject({ ok: true, problem: null });
    expect(v.purgedThrough).toBeGreaterThan(0);
    expect(db.prepare('SELECT id FROM sessions').all()).toEqual([{ id: 2 }]);
    db.close();
  });

  it('a session in progress is not a problem: its events come after the last checkpoint', async () => {
    k = await openTestKiosk();
    await toScanQr(k, EMAIL, 'phone-1', PIN_OK);
    const db = openDb(k.dataDir, true);
    const v = verifyLog(db);
    expect(v.ok).toBe(true);
    expect(v.unsignedAfter).toBeGreaterThan(0);
    db.close();
  });

  it('reopening a station keeps its identity; a replaced identity seed is refused at start', async () => {
    const { dataDir, fingerprint } = await stationDay();
    k = null;
    const again = await openTestKiosk(dataDir);
    again.kiosk.close();
    const db = openDb(dataDir, true);
    expect(verifyLog(db, { fingerprint })).toMatchObject({ ok: true });
    db.close();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dataDir, 'station-identity.key'), Buffer.alloc(32, 7), { mode: 0o600 });
    await expect(openTestKiosk(dataDir)).rejects.toThrow(/identity key does not match/);
  });
});

// Station bundles: what they hold and leave out, idempotent import, a longer bundle later, and every bad bundle refused.
import { closeSync, copyFileSync, openSync, readdirSync, readFileSync, readSync, truncateSync, writeFileSync, ftruncateSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { KioskError } from '../../../shared/errors';
import { IDENTITY_KEY_FILE_NAME } from '../../../electron/engine/key-store';
import { openStationLog, recordedIdentity } from '../../../electron/store/admin-log';
import { BUNDLE_HEADER_BYTES, BUNDLE_MAGIC, manifestMessage, writeBundle, type BundleManifest } from '../../../electron/store/bundle';
import { identityFromSeed, type StationIdentity } from '../../../electron/store/identity';
import { openLog } from '../../../electron/store/open';
import { importBundle, withCheckedBundle, type ImportOptions } from '../../../electron/store/import';
import { verifyLog } from '../../../electron/store/verify';
import { enrol, enrolAgents, testWithPin, toScanQr } from '../engine/flow';
import { openTestKiosk, query, tempFolderPerTest, type TestKiosk } from '../engine/harness';

/** Registered before the kiosks' hook, so (hooks running in reverse) each kiosk closes before its folder goes. */
const folder = tempFolderPerTest();
const opened: TestKiosk[] = [];
afterEach(() => {
  for (const k of opened.splice(0)) k.close();
});

/** A station where `agents` agents enrol and test their sign-in; the kiosk is then closed as at the end of a day. */
async function station(agents: number, prefix = 'agent'): Promise<TestKiosk> {
  const k = await openTestKiosk();
  opened.push(k);
  await enrolAgents(k, agents, prefix);
  return k;
}

/** The station's log and identity as the command line opens them, beside the running kiosk. */
function stationLog(k: TestKiosk): { db: Database.Database; identity: StationIdentity } {
  const db = openStationLog(join(k.dataDir, 'kiosk.db'));
  const identity = recordedIdentity(db, readFileSync(join(k.dataDir, IDENTITY_KEY_FILE_NAME)));
  if (!identity) throw new Error('no identity');
  return { db, identity };
}

async function bundleOf(k: TestKiosk, name = 'bundle.ekb'): Promise<string> {
  const usb = folder();
  const { db, identity } = stationLog(k);
  try {
    return (await writeBundle(db, identity, join(usb, name), () => k.clock.now())).file;
  } finally {
    db.close();
  }
}

type Options = Omit<ImportOptions, 'scratchDir'>;

async function importInto(head: TestKiosk, file: string, options: Options = {}) {
  const { db, identity } = stationLog(head);
  try {
    return await importBundle(db, identity, file, () => head.clock.now(), { scratchDir: head.dataDir, ...options });
  } finally {
    db.close();
  }
}

/** The manifest's fingerprint, as the supervisor reads it on the bundle's own station before trusting it. */
function fingerprintIn(file: string): string {
  const head = Buffer.alloc(64 * 1024);
  const fd = openSync(file, 'r');
  try {
    const read = readSync(fd, head, 0, head.length, 0);
    const length = head.readUInt32BE(BUNDLE_MAGIC.length);
    return (JSON.parse(head.subarray(BUNDLE_HEADER_BYTES, Math.min(read, BUNDLE_HEADER_BYTES + length)).toString('utf8')) as { fingerprint: string })
      .fingerprint;
  } catch {
    return ''; // not a bundle: nothing to vouch for
  } finally {
    closeSync(fd);
  }
}

/** An import the supervisor vouched for (`admin import --trust`, the console's approval). */
const trusting = (head: TestKiosk, file: string) => importInto(head, file, { trust: fingerprintIn(file) });

async function refusalOf(head: TestKiosk, file: string, options: Options = {}): Promise<string> {
  try {
    await importInto(head, file, { trust: fingerprintIn(file), ...options });
  } catch (error) {
    if (error instanceof KioskError) {
      expect(error.params.file).toBe(file.split('/').pop());
      return error.code;
    }
    throw error;
  }
  throw new Error('expected a refusal');
}

/** What the head holds, to show a refusal changed nothing but its own logged refusal. */
function headState(head: TestKiosk): { imported: number; stations: number; lastRefusal: string | null } {
  const db = new Database(join(head.dataDir, 'kiosk.db'), { readonly: true });
  try {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const refusal = db.prepare("SELECT code FROM events WHERE type = 'bundle_refused' ORDER BY id DESC LIMIT 1").get() as
      | { code: string }
      | undefined;
    return {
      imported: n('SELECT count(*) AS n FROM station_events'),
      stations: n('SELECT count(*) AS n FROM stations WHERE is_self = 0'),
      lastRefusal: refusal?.code ?? null,
    };
  } finally {
    db.close();
  }
}

function snapshotOf(file: string): Database.Database {
  const bytes = readFileSync(file);
  const length = bytes.readUInt32BE(BUNDLE_MAGIC.length);
  const db = join(folder(), 'snapshot.db');
  writeFileSync(db, bytes.subarray(BUNDLE_HEADER_BYTES + length));
  return new Database(db, { readonly: true });
}

describe('station bundle', () => {
  it('holds a signed, verifiable snapshot with e-mails and device names, without secrets, PIN hashes or the passphrase', async () => {
    const k = await station(2);
    const file = await bundleOf(k);
    const snapshot = snapshotOf(file);
    expect(verifyLog(snapshot)).toMatchObject({ ok: true, unsignedAfter: 0 });
    expect(snapshot.prepare('SELECT email FROM agents ORDER BY email').all()).toEqual([
      { email: 'agent.0@agriculture.gouv.fr' },
      { email: 'agent.1@agriculture.gouv.fr' },
    ]);
    expect(snapshot.prepare('SELECT name, length(pin_hash) AS pin, secret_box FROM devices ORDER BY id').all()).toEqual([
      { name: 'phone-0', pin: 0, secret_box: null },
      { name: 'phone-1', pin: 0, secret_box: null },
    ]);
    expect(snapshot.prepare("SELECT count(*) AS n FROM settings WHERE key LIKE 'internal.%'").get()).toEqual({ n: 0 });
    snapshot.close();
    // Nothing of a secret anywhere in the file's bytes, not even in free pages.
    const { db } = stationLog(k);
    const pinHash = (db.prepare('SELECT pin_hash FROM devices LIMIT 1').get() as { pin_hash: Buffer }).pin_hash;
    db.close();
    expect(readFileSync(file).includes(pinHash)).toBe(false);
  });

  it('leaves out the personal data of training sessions', async () => {
    const k = await openTestKiosk();
    opened.push(k);
    const { setUpAndOpen } = await import('../supervisor/harness');
    await setUpAndOpen(k, { mode: 'training', open: false });
    await toScanQr(k, 'trainee@agriculture.gouv.fr', 'phone-t');
    await k.call('cancel');
    const snapshot = snapshotOf(await bundleOf(k));
    expect(snapshot.prepare('SELECT count(*) AS n FROM agents').get()).toEqual({ n: 0 });
    expect(snapshot.prepare('SELECT count(*) AS n FROM devices').get()).toEqual({ n: 0 });
    snapshot.close();
  });

  it('is written 0600, alone on the drive: the unscrubbed snapshot is made in the data folder', async () => {
    const k = await station(1);
    const { readdirSync, statSync } = await import('node:fs');
    const { basename, dirname } = await import('node:path');
    const file = await bundleOf(k);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dirname(file))).toEqual([basename(file)]);
    expect(readdirSync(k.dataDir).filter((f) => f.startsWith('.bundle-'))).toEqual([]);
  });
});

describe('import on a head station', () => {
  it('adds the station, keyed by station and event id; the same bundle again adds nothing; a longer one only what is new', async () => {
    const head = await station(0);
    const other = await station(2, 'b');
    const first = await bundleOf(other, 'b1.ekb');
    const r1 = await trusting(head, first);
    expect(r1.events).toBeGreaterThan(10);
    expect(r1.sessions).toBe(2);
    const again = await importInto(head, first);
    expect(again).toMatchObject({ events: 0, sessions: 0 });
    // Later in the day: one more agent, a longer bundle.
    const { secret } = await enrol(other, 'b.late@agriculture.gouv.fr', 'phone-late');
    await testWithPin(other, secret);
    await other.call('next');
    const second = await bundleOf(other, 'b2.ekb');
    const r2 = await importInto(head, second);
    expect(r2.sessions).toBe(1);
    expect(r2.events).toBeGreaterThan(5);
    // The older bundle after the newer one: still nothing new.
    expect(await importInto(head, first)).toMatchObject({ events: 0, sessions: 0 });
    expect(headState(head).imported).toBe(r1.events + r2.events);
    // Each import is in the head's own chain, signed.
    const { db } = stationLog(head);
    expect(verifyLog(db)).toMatchObject({ ok: true });
    expect((db.prepare("SELECT count(*) AS n FROM events WHERE type = 'bundle_imported'").get() as { n: number }).n).toBe(4);
    db.close();
  });

  it('refuses a bundle whose past differs from what was imported before from that station', async () => {
    const head = await station(0);
    const other = await station(1, 'b');
    await trusting(head, await bundleOf(other, 'b1.ekb'));
    // The same station's log rewritten (events re-signed with its own key cannot fake a past the head holds).
    const { db, identity } = stationLog(other);
    const trigger = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'events_append_only_update'").pluck().get() as string;
    db.exec('DROP TRIGGER events_append_only_update');
    db.exec("UPDATE events SET at = at + 1 WHERE id = 3");
    const { GENESIS_HASH, hashEvent, rowToEvent } = await import('../../../electron/store/events');
    const { checkpointMessage } = await import('../../../electron/store/checkpoints');
    let prev: Buffer = GENESIS_HASH;
    for (const row of db.prepare('SELECT * FROM events ORDER BY id').all() as Parameters<typeof rowToEvent>[0][]) {
      const event = { ...rowToEvent(row), prevHash: prev };
      if (event.type === 'checkpoint' && event.details) {
        const d = JSON.parse(event.details) as Record<string, string | number>;
        const claim = {
          stationId: String(d.stationId), publicKey: String(d.publicKey), through: Number(d.through), headHash: prev.toString('hex'),
          count: Number(d.count), purgedThrough: Number(d.purgedThrough), anchorHash: String(d.anchorHash), reason: String(d.reason),
        };
        event.details = JSON.stringify({ ...d, signature: identity.sign(checkpointMessage(claim)).toString('base64') });
        db.prepare('UPDATE events SET details = ? WHERE id = ?').run(event.details, event.id);
      }
      db.prepare('UPDATE events SET prev_hash = ? WHERE id = ?').run(prev, event.id);
      prev = hashEvent(event);
    }
    db.exec(trigger);
    db.close();
    const rewritten = await bundleOf(other, 'b-rewritten.ekb');
    const before = headState(head);
    expect(await refusalOf(head, rewritten)).toBe('bundle_diverges');
    expect(headState(head)).toEqual({ ...before, lastRefusal: 'bundle_diverges' });
  });
});

describe('bad bundles are refused, named, logged, and change nothing', () => {
  async function setting(): Promise<{ head: TestKiosk; other: TestKiosk; file: string }> {
    const head = await station(0);
    const other = await station(1, 'b');
    return { head, other, file: await bundleOf(other) };
  }

  async function expectRefused(head: TestKiosk, file: string, code: string, options: Options = {}) {
    const before = headState(head);
    expect(await refusalOf(head, file, options)).toBe(code);
    expect(headState(head)).toEqual({ ...before, lastRefusal: code });
  }

  it('truncated', async () => {
    const { head, file } = await setting();
    truncateSync(file, readFileSync(file).length - 1000);
    await expectRefused(head, file, 'bundle_truncated');
  });

  it('an edited row', async () => {
    const { head, file } = await setting();
    const bytes = readFileSync(file);
    const at = bytes.lastIndexOf(Buffer.from('phone-0'));
    expect(at).toBeGreaterThan(0);
    bytes.write('phone-X', at);
    writeFileSync(file, bytes);
    await expectRefused(head, file, 'bundle_edited');
  });

  it('a wrong signature', async () => {
    const { head, file } = await setting();
    const bytes = readFileSync(file);
    const text = bytes.toString('latin1');
    const at = text.indexOf('"stationName":"') + '"stationName":"'.length;
    bytes.write('Q', at, 'latin1');
    writeFileSync(file, bytes);
    await expectRefused(head, file, 'bundle_signature_invalid');
  });

  it('an unknown key for a known station id', async () => {
    const { head, other, file } = await setting();
    await trusting(head, file);
    // Another station set up under the first one's id, with its own key: every signature in it is valid.
    const otherId = (() => {
      const { db } = stationLog(other);
      const row = db.prepare('SELECT station_id FROM stations WHERE is_self = 1').get() as { station_id: string };
      db.close();
      return row.station_id;
    })();
    const dir = folder();
    const seed = randomBytes(32);
    writeFileSync(join(dir, IDENTITY_KEY_FILE_NAME), seed, { mode: 0o600 });
    // A folder with a log is an existing station: its station key must be there too (a missing one is key_missing).
    writeFileSync(join(dir, 'station.key'), randomBytes(32), { mode: 0o600 });
    const { db: fresh } = openLog(join(dir, 'kiosk.db'));
    fresh.prepare('INSERT INTO stations (station_id, name, public_key, is_self) VALUES (?, ?, ?, 1)').run(otherId, 'B', identityFromSeed(seed, otherId).publicKey);
    fresh.close();
    const impostor = await openTestKiosk(dir);
    opened.push(impostor);
    await expectRefused(head, await bundleOf(impostor, 'impostor.ekb'), 'bundle_unknown_key');
  });

  it("the head's own bundle", async () => {
    const { head } = await setting();
    await expectRefused(head, await bundleOf(head, 'own.ekb'), 'bundle_own_station');
  });

  it('a newer schema', async () => {
    const { head, other } = await setting();
    const { db } = stationLog(other);
    db.pragma('user_version = 99');
    db.close();
    const { db: again, identity } = (() => {
      const d = new Database(join(other.dataDir, 'kiosk.db'));
      const id = recordedIdentity(d, readFileSync(join(other.dataDir, IDENTITY_KEY_FILE_NAME)));
      if (!id) throw new Error('no identity');
      return { db: d, identity: id };
    })();
    const usb = folder();
    const file = (await writeBundle(again, identity, join(usb, 'newer.ekb'), Date.now)).file;
    again.close();
    await expectRefused(head, file, 'bundle_schema_newer');
  });

  it('not a bundle at all', async () => {
    const { head } = await setting();
    const dir = folder();
    const file = join(dir, 'photo.jpg');
    writeFileSync(file, Buffer.from('\xff\xd8\xff\xe0 not a bundle', 'latin1'));
    await expectRefused(head, file, 'bundle_not_a_bundle');
    const db = join(dir, 'kiosk.db');
    writeFileSync(db, readFileSync(join(head.dataDir, 'kiosk.db')));
    await expectRefused(head, db, 'bundle_not_a_bundle');
  });

  it('a file of several GB, refused from its size before a byte is read', async () => {
    const { head } = await setting();
    const dir = folder();
    const file = join(dir, 'huge.ekb');
    const fd = openSync(file, 'w');
    ftruncateSync(fd, 5 * 1024 ** 3);
    closeSync(fd);
    const started = performance.now();
    await expectRefused(head, file, 'bundle_too_large');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('a drive pulled out mid-import', async () => {
    const { head, file } = await setting();
    const pulled = () =>
      new Readable({
        read() {
          this.push(readFileSync(file).subarray(BUNDLE_HEADER_BYTES, BUNDLE_HEADER_BYTES + 4096));
          this.destroy(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }));
        },
      });
    await expectRefused(head, file, 'bundle_read_failed', { openRead: pulled });
    // Put back, the same file imports.
    expect((await trusting(head, file)).sessions).toBe(1);
  });

  it('verifies alone (admin verify on a bundle)', async () => {
    const { file } = await setting();
    const dir = folder();
    const v = await withCheckedBundle(file, { scratchDir: dir }, ({ db }) => verifyLog(db));
    expect(v.ok).toBe(true);
  });
});

/**
 * A hostile bundle as someone with a station's key (or one of their own) would make it: the project's own
 * writer, then the snapshot edited and the manifest re-counted and re-signed, so every signature is valid
 * and only what the snapshot holds can refuse it.
 */
async function forged(k: TestKiosk, name: string, edit: (snapshot: Database.Database) => void, manifestEdit: Record<string, unknown> = {}) {
  const honest = await bundleOf(k, `honest-${name}`);
  const bytes = readFileSync(honest);
  const length = bytes.readUInt32BE(BUNDLE_MAGIC.length);
  const { signature: _, ...manifest } = JSON.parse(bytes.subarray(BUNDLE_HEADER_BYTES, BUNDLE_HEADER_BYTES + length).toString('utf8')) as BundleManifest & {
    signature: string;
  };
  const scratch = join(folder(), 'snapshot.db');
  writeFileSync(scratch, bytes.subarray(BUNDLE_HEADER_BYTES + length));
  const snapshot = new Database(scratch);
  edit(snapshot);
  snapshot.close();
  const body = readFileSync(scratch);
  const signed: BundleManifest = { ...manifest, ...manifestEdit, sha256: createHash('sha256').update(body).digest('hex'), bytes: body.length };
  const { identity, db } = stationLog(k);
  db.close();
  const json = Buffer.from(JSON.stringify({ ...signed, signature: identity.sign(manifestMessage(signed)).toString('base64') }));
  const header = Buffer.alloc(4);
  header.writeUInt32BE(json.length);
  const file = join(folder(), name);
  writeFileSync(file, Buffer.concat([BUNDLE_MAGIC, header, json, body]));
  return file;
}

describe('hostile bundles, signed by their own key: refused from what they hold, or held, the head unchanged', () => {
  const recursiveDevices = `DROP TABLE devices; CREATE VIEW devices AS
    WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)
    SELECT n AS id, 1 AS agent_id, 'phone' AS name, 'active' AS status, x'' AS pin_hash, NULL AS secret_box, 0 AS created_at,
      NULL AS activated_at, NULL AS last_time_step, 0 AS pin_failures, 0 AS code_failures, NULL AS sign_in_tested_at FROM r`;
  const cases: [string, (db: Database.Database) => void, string][] = [
    ['an endless recursive view for a table', (db) => db.exec(recursiveDevices), 'bundle_schema_differs'],
    ['a bounded view of many rows', (db) => db.exec(recursiveDevices.replace('FROM r)', 'FROM r WHERE n < 2000000)')), 'bundle_schema_differs'],
    ['a trigger', (db) => db.exec('CREATE TRIGGER t AFTER INSERT ON sessions BEGIN SELECT 1; END'), 'bundle_schema_differs'],
    ['an extra table', (db) => db.exec('CREATE TABLE extra (x)'), 'bundle_schema_differs'],
    ['an index on an expression', (db) => db.exec('CREATE INDEX e ON events (length(details))'), 'bundle_schema_differs'],
    [
      'rows beyond the manifest',
      (db) => db.exec("INSERT INTO devices (agent_id, name, status, pin_hash, created_at) SELECT agent_id, name || 'x', status, x'', created_at FROM devices"),
      'bundle_edited',
    ],
    ['a giant value', (db) => db.prepare('UPDATE devices SET name = ?').run('x'.repeat(4 * 1024 * 1024)), 'bundle_value_invalid'],
    ['control characters', (db) => db.prepare('UPDATE devices SET name = ?').run('\u001b[2J\u001b[31mphone'), 'bundle_value_invalid'],
    ['an e-mail no kiosk accepts', (db) => db.prepare('UPDATE agents SET email = ?').run('a b@c'), 'bundle_value_invalid'],
    ['an event type no kiosk writes', (db) => db.exec("DROP TRIGGER events_append_only_update; UPDATE events SET type = 'x' WHERE id = 1"), 'bundle_schema_differs'],
  ];
  for (const [what, edit, code] of cases) {
    it(what, async () => {
      const head = await station(0);
      const other = await station(1, 'b');
      const file = await forged(other, 'hostile.ekb', edit);
      const before = headState(head);
      expect(await refusalOf(head, file)).toBe(code);
      expect(headState(head)).toEqual({ ...before, lastRefusal: code });
    });
  }

  it('a value past the entry rules inside an unchanged schema: an event type no kiosk writes', async () => {
    const head = await station(0);
    const other = await station(1, 'b');
    const file = await forged(other, 'hostile.ekb', (db) => {
      const trigger = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'events_append_only_update'").pluck().get() as string;
      db.exec("DROP TRIGGER events_append_only_update; UPDATE events SET code = 'x y' WHERE id = 1");
      db.exec(trigger);
    });
    expect(await refusalOf(head, file)).toBe('bundle_value_invalid');
  });

  it('a new key: held with its fingerprint, nothing merged or logged, merged once trusted', async () => {
    const head = await station(0);
    const other = await station(1, 'b');
    const file = await bundleOf(other);
    const before = headState(head);
    const held = await importInto(head, file).catch((error: unknown) => error);
    expect(held).toBeInstanceOf(KioskError);
    expect((held as KioskError).code).toBe('bundle_held');
    expect((held as KioskError).params.fingerprint).toBe(stationLog(other).identity.fingerprint);
    expect(headState(head)).toEqual(before);
    expect((await trusting(head, file)).sessions).toBe(1);
    // Trusted from now on: its next bundle needs no one's word.
    expect((await importInto(head, await bundleOf(other, 'later.ekb'))).events).toBeGreaterThan(0);
  });

  it("a forged bundle claiming a station's id, before the real one: held, and the real station's bundle still merges", async () => {
    const head = await station(0);
    const real = await station(1, 'b');
    const realId = stationLog(real).identity.stationId;
    const dir = folder();
    const seed = randomBytes(32);
    writeFileSync(join(dir, IDENTITY_KEY_FILE_NAME), seed, { mode: 0o600 });
    // A folder with a log is an existing station: its station key must be there too (a missing one is key_missing).
    writeFileSync(join(dir, 'station.key'), randomBytes(32), { mode: 0o600 });
    const { db: fresh } = openLog(join(dir, 'kiosk.db'));
    fresh.prepare('INSERT INTO stations (station_id, name, public_key, is_self) VALUES (?, ?, ?, 1)').run(realId, 'B', identityFromSeed(seed, realId).publicKey);
    fresh.close();
    const impostor = await openTestKiosk(dir);
    opened.push(impostor);
    const before = headState(head);
    expect(await importInto(head, await bundleOf(impostor, 'forged.ekb')).catch((e: unknown) => (e as KioskError).code)).toBe('bundle_held');
    expect(headState(head)).toEqual(before);
    expect((await trusting(head, await bundleOf(real, 'real.ekb'))).stationId).toBe(realId);
  });

  it('a cancelled import changes nothing', async () => {
    const head = await station(0);
    const other = await station(1, 'b');
    const file = await bundleOf(other);
    const before = headState(head);
    expect(await refusalOf(head, file, { isCancelled: () => true, onProgress: () => {} })).toBe('bundle_cancelled');
    expect(headState(head)).toEqual({ ...before, lastRefusal: 'bundle_cancelled' });
  });
});

describe('the merge runs in short steps, all or nothing for the station', () => {
  /** Calls `during` once the import's merge has begun (its progress past the checks), between two of its steps. */
  const duringMerge = (during: () => void): Options => {
    let called = false;
    return {
      onProgress: (done, total) => {
        if (called || done <= total / 2) return;
        called = true;
        during();
      },
    };
  };

  it("lets the head's own writes through between two steps, instead of holding the log for the whole merge", async () => {
    const head = await station(0);
    const file = await bundleOf(await station(2, 'b'));
    const outcomes: string[] = [];
    await importInto(head, file, {
      trust: fingerprintIn(file),
      ...duringMerge(() => {
        // An agent's next step, as the kiosk's thread writes it, without waiting (busy timeout 0).
        const agent = new Database(join(head.dataDir, 'kiosk.db'), { timeout: 0 });
        try {
          agent.transaction(() => agent.prepare("UPDATE settings SET value = value WHERE key = 'retentionDays'").run()).immediate();
          outcomes.push('written');
        } catch (error) {
          outcomes.push((error as { code?: string }).code ?? String(error));
        } finally {
          agent.close();
        }
      }),
    });
    expect(outcomes).toEqual(['written']);
  });

  it('a cancel once the merge has begun undoes the steps already merged: no station, no event, no session', async () => {
    const head = await station(0);
    const file = await bundleOf(await station(2, 'b'));
    const before = headState(head);
    let stop = false;
    const code = await refusalOf(head, file, { isCancelled: () => stop, ...duringMerge(() => (stop = true)) });
    expect(code).toBe('bundle_cancelled');
    expect(headState(head)).toEqual({ ...before, lastRefusal: 'bundle_cancelled' });
    expect(query<{ n: number }>(head.dataDir, 'SELECT count(*) AS n FROM station_sessions')[0]?.n).toBe(0);
  });

  it('a head killed between two steps starts with the unfinished merge undone, and the bundle then imports whole', async () => {
    const head = await station(0);
    const other = await station(2, 'b');
    const file = await bundleOf(other);
    // What a kill -9 between two steps leaves on disk: the steps committed so far, copied as the head restarts on them.
    const killed = folder();
    await importInto(head, file, {
      trust: fingerprintIn(file),
      ...duringMerge(() => {
        for (const name of readdirSync(head.dataDir)) {
          if (!name.startsWith('kiosk.db') && name !== 'kiosk.lock') copyFileSync(join(head.dataDir, name), join(killed, name));
        }
        const log = new Database(join(head.dataDir, 'kiosk.db'), { readonly: true });
        log.exec(`VACUUM INTO '${join(killed, 'kiosk.db')}'`);
        log.close();
      }),
    });
    const merged = (dir: string) => query<{ n: number }>(dir, 'SELECT count(*) AS n FROM station_events')[0]?.n ?? 0;
    expect(merged(killed)).toBeGreaterThan(0);

    const restarted = await openTestKiosk(killed);
    opened.push(restarted);
    expect(headState(restarted).imported).toBe(0);
    expect(headState(restarted).stations).toBe(0);
    expect((await trusting(restarted, file)).events).toBe(merged(head.dataDir));
  });
});

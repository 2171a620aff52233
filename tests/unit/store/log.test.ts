import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { appendEvent } from '../../../electron/store/events';
import { migrate, MIGRATIONS, schemaVersion } from '../../../electron/store/migrate';
import { openLog } from '../../../electron/store/open';
import { verifyLogFile } from '../../../electron/store/admin-log';
import { describeVerification, verifyLog } from '../../../electron/store/verify';
import { tempDataDir } from '../engine/harness';

const temps: (() => void)[] = [];
afterEach(() => temps.splice(0).forEach((c) => c()));

function dbPath(): string {
  const t = tempDataDir();
  temps.push(t.cleanup);
  return join(t.dir, 'kiosk.db');
}

function withEvents(path: string, n: number): Database.Database {
  const { db } = openLog(path);
  db.transaction(() => {
    for (let i = 0; i < n; i++) appendEvent(db, { sessionId: null, at: 1000 + i, step: 'identify', type: 'step' });
  })();
  return db;
}

describe('opening the log', () => {
  it('sets WAL, synchronous=FULL and foreign keys, and migrates to the latest version', () => {
    const { db } = openLog(dbPath());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    const tables = db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'").all();
    for (const name of ['agents', 'devices', 'sessions', 'events', 'settings', 'roster']) {
      expect(tables).toContainEqual({ name, strict: 1 });
    }
    db.close();
  });

  it('refuses a database written by a newer kiosk', () => {
    const path = dbPath();
    const { db } = openLog(path);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openLog(path)).toThrow(/newer/);
    expect(existsSync(path)).toBe(true);
  });

  it('refuses a registry whose versions do not grow by one', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [{ version: 2, name: 'gap', sql: '' }])).toThrow(/expected 1/);
    db.close();
  });

  it('moves a corrupt file aside (never deletes it) and refuses to start a new log in its place', () => {
    const path = dbPath();
    const garbage = Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 0xab)]);
    writeFileSync(path, garbage);
    expect(() => openLog(path, () => 1_700_000_000_000)).toThrow(
      expect.objectContaining({ reason: 'log_corrupt', message: expect.stringContaining('kiosk.db.corrupt-2023-11-14T22-13-20-000Z') }),
    );
    const dir = join(path, '..');
    expect(readFileSync(join(dir, 'kiosk.db.corrupt-2023-11-14T22-13-20-000Z')).equals(garbage)).toBe(true);
    // No new, empty log: the next start finds none and stays out of service (log_missing) instead of a first run.
    expect(readdirSync(dir).filter((f) => f.startsWith('kiosk.db'))).toEqual(['kiosk.db.corrupt-2023-11-14T22-13-20-000Z']);
  });

  it('refuses a missing log unless asked to create one', () => {
    const path = dbPath();
    expect(() => openLog(path, Date.now, { create: false })).toThrow(expect.objectContaining({ reason: 'log_missing' }));
    openLog(path).db.close();
    openLog(path, Date.now, { create: false }).db.close();
  });
});

describe('the hash chain', () => {
  it('verifies an untouched log', () => {
    const db = withEvents(dbPath(), 5);
    expect(verifyLog(db)).toMatchObject({ problem: null, events: 5 });
    db.close();
  });

  it('gives the head hash, so a noted head also reveals events cut off the end', () => {
    const db = withEvents(dbPath(), 3);
    const noted = verifyLog(db);
    expect(noted).toMatchObject({ problem: null, headHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    db.exec('DROP TRIGGER events_append_only_delete; DELETE FROM events WHERE id = 3');
    const after = verifyLog(db);
    // Still a valid chain on its own, but no longer ending where the noted head said.
    expect(after.problem).toBeNull();
    expect(after.headHash).not.toBe(noted.headHash);
    db.close();
  });

  it('stores each previous hash as a 32-byte BLOB', () => {
    const db = withEvents(dbPath(), 2);
    expect(db.prepare('SELECT typeof(prev_hash) AS t, length(prev_hash) AS n FROM events').all()).toEqual([
      { t: 'blob', n: 32 },
      { t: 'blob', n: 32 },
    ]);
    db.close();
  });

  it('refuses to update or delete an event (append-only)', () => {
    const db = withEvents(dbPath(), 2);
    expect(() => db.prepare("UPDATE events SET type = 'x' WHERE id = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events WHERE id = 1').run()).toThrow(/append-only/);
    db.close();
  });

  it('names the event after an edited one as the first broken link', () => {
    const path = dbPath();
    const db = withEvents(path, 5);
    db.exec("DROP TRIGGER events_append_only_update; UPDATE events SET type = 'forged' WHERE id = 3");
    db.close();
    const report = verifyLogFile(path);
    expect(report).toMatchObject({ ok: false, events: 3, problem: { code: 'link_mismatch', eventId: 4 } });
    if (report) expect(describeVerification('kiosk.db', report)).toMatch(/chain broken at event 4/);
  });

  it('detects a deleted event', () => {
    const path = dbPath();
    const db = withEvents(path, 5);
    db.exec('DROP TRIGGER events_append_only_delete; DELETE FROM events WHERE id = 2');
    expect(verifyLog(db)).toMatchObject({ ok: false, problem: { code: 'link_missing', eventId: 3 } });
    db.close();
  });
});

describe('crash recovery', () => {
  it('after a SIGKILL mid-session the log reopens intact, the chain verifies and the session is abandoned', async () => {
    const path = dbPath();
    const dir = join(path, '..');
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/unit/store/crash-child.ts', dir], { stdio: 'pipe' });
    // Cut it off as a power cut would, while it is appending (after some committed round trips).
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if ((out.match(/tick/g) ?? []).length >= 20) resolve();
      });
      child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const { db, abandoned } = openLog(path);
    expect(abandoned).toBe(1);
    expect(db.prepare('SELECT outcome FROM sessions').all()).toEqual([{ outcome: 'abandoned' }]);
    // Every link holds (verifyLog reports a broken one first); the recovered close waits for the kiosk's next checkpoint.
    expect(verifyLog(db).problem).toMatchObject({ code: 'unsigned' });
    const last = db.prepare('SELECT type, details FROM events ORDER BY id DESC LIMIT 1').get() as { type: string; details: string };
    expect(last.type).toBe('session_ended');
    expect(JSON.parse(last.details)).toMatchObject({ outcome: 'abandoned', recovered: true, mode: 'enrolment' });
    db.close();
  });
});

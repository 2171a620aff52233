import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localDay } from '../../../shared/days';
import { touchAgent } from '../../../electron/store/agents';
import { insertDevice } from '../../../electron/store/devices';
import { appendEvent, GENESIS_HASH, hashEvent } from '../../../electron/store/events';
import { verifyLog } from '../../../electron/store/verify';
import { csvCell, exportCsv } from '../../../electron/store/export';
import { openLog } from '../../../electron/store/open';
import { eraseAgentData, purgeExpired } from '../../../electron/store/retention';
import { closeSession, insertSession, setSessionAgent } from '../../../electron/store/sessions';
import { tempDataDir } from '../engine/harness';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const DAY = 86_400_000;
let db: Database.Database;
let path: string;
let cleanup: () => void;

beforeEach(() => {
  const t = tempDataDir();
  cleanup = t.cleanup;
  path = join(t.dir, 'kiosk.db');
  db = openLog(path).db;
});
afterEach(() => {
  db.close();
  cleanup();
});

function sessionAt(at: number, email: string | null = null): number {
  const id = insertSession(db, { station: 'P', mode: 'enrolment', startedAt: at, day: localDay(at), furthestStep: 1 });
  if (email) setSessionAgent(db, id, touchAgent(db, email, at).id);
  appendEvent(db, { sessionId: id, at, step: 'identify', type: 'step' });
  closeSession(db, id, 'completed', at + 1000);
  appendEvent(db, { sessionId: id, at: at + 1000, step: 'done', type: 'session_ended' });
  return id;
}

describe('retention purge', () => {
  it('removes sessions, events and agents older than the retention, keeps the rest, and the chain still verifies', () => {
    sessionAt(NOW - 200 * DAY, 'old@agriculture.gouv.fr');
    sessionAt(NOW - 181 * DAY);
    const kept = sessionAt(NOW - 10 * DAY, 'new@agriculture.gouv.fr');
    const counts = purgeExpired(db, NOW, 180);
    expect(counts).toEqual({ sessions: 2, agents: 1, events: 4 });
    expect(db.prepare('SELECT id FROM sessions').all()).toEqual([{ id: kept }]);
    expect(db.prepare('SELECT email FROM agents').all()).toEqual([{ email: 'new@agriculture.gouv.fr' }]);
    // Every link holds (verifyLog reports a broken one first); with no station key here, no checkpoint signs the new
    // anchor, as the kiosk's own purge does (store/supervisor-log.ts).
    expect(verifyLog(db)).toMatchObject({ events: 3, problem: { code: 'anchor_moved' } });
    // Below the anchor a delete was allowed; above it the log is still append-only.
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
  });

  it('keeps the chain going when every event was purged: new events follow the anchor', () => {
    sessionAt(NOW - 400 * DAY);
    purgeExpired(db, NOW - 200 * DAY + 1, 180);
    purgeExpired(db, NOW, 180);
    appendEvent(db, { sessionId: null, at: NOW, step: null, type: 'step' });
    expect(verifyLog(db)).toMatchObject({ events: 2, problem: { code: 'anchor_moved' } });
    expect(db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 });
  });

  it('detects an event removed after a purge, at the anchor', () => {
    sessionAt(NOW - 200 * DAY);
    sessionAt(NOW - 1 * DAY);
    purgeExpired(db, NOW, 180);
    db.exec('DROP TRIGGER events_append_only_delete');
    db.prepare('DELETE FROM events WHERE id = (SELECT min(id) FROM events)').run();
    expect(verifyLog(db)).toMatchObject({ ok: false, problem: { code: 'link_missing' } });
  });
});

describe('erasing one agent', () => {
  it('removes the e-mail and devices from the file, keeps the session as anonymous figures, and logs that it happened', () => {
    const email = 'erase.me@agriculture.gouv.fr';
    const id = sessionAt(NOW, email);
    const agent = touchAgent(db, email, NOW);
    insertDevice(db, {
      agentId: agent.id,
      name: 'my-phone-to-forget',
      status: 'active',
      pinHash: Buffer.alloc(48),
      secretBox: Buffer.alloc(40),
      createdAt: NOW,
      activatedAt: NOW,
      lastTimeStep: null,
      pinFailures: 0,
      codeFailures: 0,
    });
    expect(eraseAgentData(db, email, NOW)).toBe(true);
    expect(db.prepare('SELECT agent_id FROM sessions WHERE id = ?').get(id)).toEqual({ agent_id: null });
    expect(db.prepare('SELECT count(*) AS n FROM devices').get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT details FROM events WHERE type = 'agent_erased'").all()).toEqual([{ details: null }]);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const raw = readFileSync(path);
    expect(raw.includes(email)).toBe(false);
    expect(raw.includes('my-phone-to-forget')).toBe(false);
    expect(eraseAgentData(db, email, NOW)).toBe(false);
  });
});

/** A writable that keeps what the export writes, as text. */
function textSink(): { out: Writable; text: () => string } {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { out, text: () => text };
}

describe('CSV export', () => {
  it('escapes separators and quotes and disarms spreadsheet formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(null)).toBe('');
  });

  it('streams every row with backpressure while appends keep working on the kiosk connection', async () => {
    db.transaction(() => {
      for (let i = 0; i < 10_000; i++) appendEvent(db, { sessionId: null, at: NOW + i, step: 'identify', type: 'step' });
    })();
    let text = '';
    const chunks: Buffer[] = [];
    let waits = 0;
    // A slow consumer with a tiny buffer: the export must wait for it rather than pile rows up in memory.
    const out = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk);
        text += chunk.toString();
        waits += 1;
        setImmediate(done);
      },
    });
    const exporting = exportCsv(path, 'events', out);
    // Appends during the export succeed: the export reads on its own connection.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setImmediate(r));
      appendEvent(db, { sessionId: null, at: NOW + 20_000 + i, step: 'done', type: 'step' });
    }
    const rows = await exporting;
    expect(rows).toBeGreaterThanOrEqual(10_000);
    const lines = text.trim().split('\r\n');
    // A UTF-8 BOM first, so spreadsheets read accents right.
    expect(chunks[0]?.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(lines[0]?.replace(/^\uFEFF/, '')).toBe('id,session_id,at,step,type,code,details,prev_hash');
    expect(lines).toHaveLength(rows + 1);
    expect(lines[1]).toMatch(/^1,,2026-11-25T12:00:00.000Z,identify,step,,,0{64}$/);
    expect(waits).toBeGreaterThan(1);
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 10_005 });
  });

  it("gives each event's previous hash as the lowercase hex of the event before it, so the CSV can be checked against the chain", async () => {
    appendEvent(db, { sessionId: null, at: NOW, step: 'identify', type: 'step', details: { from: 'welcome' } });
    appendEvent(db, { sessionId: null, at: NOW + 1, step: 'prepare-phone', type: 'step', details: { from: 'identify' } });
    const { out, text } = textSink();
    expect(await exportCsv(path, 'events', out)).toBe(2);
    const hashes = text().trim().split('\r\n').slice(1).map((line) => line.split(',').at(-1));
    const first = { id: 1, sessionId: null, at: NOW, step: 'identify', type: 'step', code: null, details: '{"from":"welcome"}', prevHash: GENESIS_HASH };
    expect(hashes).toEqual(['0'.repeat(64), hashEvent(first).toString('hex')]);
  });

  it('exports sessions with step ids and durations in seconds', async () => {
    sessionAt(NOW);
    const { out, text } = textSink();
    expect(await exportCsv(path, 'sessions', out)).toBe(1);
    expect(text().split('\r\n')[1]).toBe('1,P,enrolment,2026-11-25T12:00:00.000Z,2026-11-25T12:00:01.000Z,1,completed,identify,');
  });
});

describe('export time format', () => {
  it('formats like toISOString across days, hours and milliseconds', async () => {
    const { isoUtc } = await import('../../../electron/store/export');
    for (const ms of [0, 1, 999, 59_999, 86_399_999, 86_400_000, NOW, NOW + 123_456_789, Date.UTC(2030, 0, 1, 23, 59, 59, 7)]) {
      expect(isoUtc(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
